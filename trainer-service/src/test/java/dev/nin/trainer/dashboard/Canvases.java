package dev.nin.trainer.dashboard;

import org.openqa.selenium.JavascriptExecutor;

/** What a browser test can tell of the dashboard's charts. */
public final class Canvases {

  private Canvases() {}

  /** Non-transparent pixels on a canvas: a drawn chart has thousands, an empty one none. */
  public static long inkedPixels(JavascriptExecutor js, String canvas) {
    return ((Number)
            js.executeScript(
                "const c = document.getElementById(arguments[0]);"
                    + " const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                    + " let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n;",
                canvas))
        .longValue();
  }
}
