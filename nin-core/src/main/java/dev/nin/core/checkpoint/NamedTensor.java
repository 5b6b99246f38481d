package dev.nin.core.checkpoint;

import java.util.Arrays;

/** A float32 tensor with the name of the variable it belongs to. */
public record NamedTensor(String name, long[] shape, float[] values) {

  public NamedTensor {
    long expected = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    if (expected != values.length) {
      throw new IllegalArgumentException(
          name
              + ": shape "
              + Arrays.toString(shape)
              + " needs "
              + expected
              + " values, got "
              + values.length);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NamedTensor t
        && name.equals(t.name)
        && Arrays.equals(shape, t.shape)
        && Arrays.equals(values, t.values);
  }

  @Override
  public int hashCode() {
    return 31 * name.hashCode() + Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    return name + Arrays.toString(shape);
  }
}
