package dev.nin.inference.prediction;

import dev.nin.contracts.FashionMnist;
import dev.nin.inference.config.InferenceConfig;
import dev.nin.servicekit.web.InvalidFieldException;
import io.vertx.core.Context;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * A PNG or JPEG upload as the model's input: 28×28 grayscale, scaled with bilinear filtering.
 * Fashion-MNIST shows light garments on black; {@code invert} serves photos on a white background.
 * The size is read from the header first, so a small file claiming a huge image is refused before
 * any pixel is decoded, and a large picture is decoded subsampled (see {@link #subsampled}).
 */
@ApplicationScoped
public class ImageDecoder {

  /** How many source pixels, at least, each of the 28 output pixels is scaled from, a side. */
  private static final int OVERSAMPLING = 4;

  private final InferenceConfig.Limits limits;

  @Inject
  ImageDecoder(InferenceConfig config) {
    this(config.limits());
  }

  ImageDecoder(InferenceConfig.Limits limits) {
    this.limits = limits;
  }

  public byte[] decode(byte[] bytes, boolean invert) {
    if (Context.isOnEventLoopThread()) {
      // a large picture decodes for seconds: on an event loop it stalls every other request there
      throw new IllegalStateException("images are decoded on worker threads, not on an event loop");
    }
    if (bytes == null || bytes.length == 0) {
      throw new InvalidFieldException("body", "the image is empty");
    }
    if (bytes.length > limits.maxUploadBytes()) {
      throw new TooLargeException(
          "the image has " + bytes.length + " bytes; at most " + limits.maxUploadBytes());
    }
    BufferedImage image = read(bytes);
    BufferedImage gray =
        new BufferedImage(FashionMnist.WIDTH, FashionMnist.HEIGHT, BufferedImage.TYPE_BYTE_GRAY);
    Graphics2D g = gray.createGraphics();
    try {
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.drawImage(image, 0, 0, FashionMnist.WIDTH, FashionMnist.HEIGHT, null);
    } finally {
      g.dispose();
    }
    byte[] pixels = new byte[FashionMnist.PIXELS];
    gray.getRaster().getDataElements(0, 0, FashionMnist.WIDTH, FashionMnist.HEIGHT, pixels);
    if (invert) {
      for (int i = 0; i < pixels.length; i++) {
        pixels[i] = (byte) (255 - (pixels[i] & 0xff));
      }
    }
    return pixels;
  }

  /**
   * Reads every {@code n}-th pixel of every {@code n}-th row of a picture much larger than the
   * model's 28×28, keeping at least {@value #OVERSAMPLING}× the target on the short side for the
   * bilinear scaling: a 4096×4096 16-bit PNG otherwise becomes a 32 MB raster for each upload
   * (several at once filled the heap and stalled every request in GC), though 28×28 of it is used.
   */
  private static ImageReadParam subsampled(ImageReader reader, int width, int height) {
    ImageReadParam param = reader.getDefaultReadParam();
    int step = subsamplingStep(width, height);
    if (step > 1) {
      param.setSourceSubsampling(step, step, 0, 0);
    }
    return param;
  }

  /** 1 (every pixel) up to {@value #OVERSAMPLING}× the model's side; coarser above. */
  static int subsamplingStep(int width, int height) {
    return Math.max(1, Math.min(width, height) / (FashionMnist.WIDTH * OVERSAMPLING));
  }

  private BufferedImage read(byte[] bytes) {
    try (ImageInputStream input = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
      var readers = ImageIO.getImageReaders(input);
      if (!readers.hasNext()) {
        throw new InvalidFieldException("body", "the body is not a PNG or JPEG image");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(input, true, true);
        int width = reader.getWidth(0);
        int height = reader.getHeight(0);
        if (width > limits.maxImageSide() || height > limits.maxImageSide()) {
          throw new TooLargeException(
              "the image is "
                  + width
                  + "x"
                  + height
                  + " px; at most "
                  + limits.maxImageSide()
                  + " px a side");
        }
        return reader.read(0, subsampled(reader, width, height));
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof InvalidFieldException || e instanceof TooLargeException) {
        throw (RuntimeException) e;
      }
      throw new InvalidFieldException("body", "the image cannot be decoded: " + e.getMessage());
    }
  }
}
