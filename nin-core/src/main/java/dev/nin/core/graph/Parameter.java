package dev.nin.core.graph;

import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * A trainable tensor of the model: a convolution's kernel (HWIO) or bias.
 *
 * @param name stable name, e.g. {@code block2/conv1/kernel}; checkpoints and exports use it
 * @param fanIn inputs per output unit (k·k·in for a kernel), for initialisation
 * @param fanOut outputs per input unit (k·k·out for a kernel)
 */
public record Parameter(
    String name, Shape shape, Variable<TFloat32> variable, long fanIn, long fanOut) {

  public boolean isKernel() {
    return name.endsWith("/kernel");
  }

  /** The layer the parameter belongs to, e.g. {@code block2/conv1}. */
  public String layer() {
    return name.substring(0, name.lastIndexOf('/'));
  }

  public int size() {
    return (int) shape.size();
  }
}
