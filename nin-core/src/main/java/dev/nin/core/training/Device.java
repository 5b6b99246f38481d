package dev.nin.core.training;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GPUOptions;

/**
 * The device a session runs on, chosen once: {@code gpu} or {@code auto} take the first GPU when
 * TensorFlow sees one (the {@code -Pgpu} natives and a CUDA 12 driver), otherwise the CPU.
 *
 * @param description e.g. {@code /device:GPU:0} or {@code /device:CPU:0 (no GPU visible)}
 */
public record Device(String description, boolean gpu, ConfigProto sessionConfig) {

  private static final Logger LOG = LoggerFactory.getLogger(Device.class);

  public static Device select(DeviceChoice choice) {
    boolean gpuVisible = choice != DeviceChoice.CPU && gpuVisible();
    if (choice == DeviceChoice.GPU && !gpuVisible) {
      LOG.warn(
          "a GPU was asked for but TensorFlow sees none (CPU natives, or no CUDA 12 driver):"
              + " training on the CPU");
    }
    var config = ConfigProto.newBuilder().setAllowSoftPlacement(true);
    if (gpuVisible) {
      // Take GPU memory as needed instead of all of it, so inference can share the card.
      config.setGpuOptions(GPUOptions.newBuilder().setAllowGrowth(true));
      LOG.info("TensorFlow sees a GPU: the graph runs on /device:GPU:0");
      return new Device("/device:GPU:0", true, config.build());
    }
    config.putDeviceCount("GPU", 0);
    String why = choice == DeviceChoice.CPU ? "(asked for)" : "(no GPU visible)";
    LOG.info("the graph runs on /device:CPU:0 {}", why);
    return new Device("/device:CPU:0 " + why, false, config.build());
  }

  /** Runs one op pinned to GPU 0 without soft placement: it only succeeds where a GPU exists. */
  static boolean gpuVisible() {
    try (var graph = new Graph()) {
      Ops tf =
          Ops.create(graph)
              .withDevice(
                  DeviceSpec.newBuilder()
                      .deviceType(DeviceSpec.DeviceType.GPU)
                      .deviceIndex(0)
                      .build());
      var probe = tf.math.add(tf.constant(1f), tf.constant(1f));
      try (var session =
              new Session(graph, ConfigProto.newBuilder().setAllowSoftPlacement(false).build());
          var result = session.runner().fetch(probe).run()) {
        return true;
      }
    } catch (RuntimeException noGpu) {
      return false;
    }
  }
}
