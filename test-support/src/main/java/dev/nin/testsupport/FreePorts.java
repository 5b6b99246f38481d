package dev.nin.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Free loopback ports for the local broker's listeners and the service processes tests start. */
public final class FreePorts {

  private FreePorts() {}

  /**
   * {@code count} distinct free loopback ports. The sockets stay open until all are taken: asked
   * one after another, the kernel can hand the same ephemeral port out twice, and a broker whose
   * client and controller listeners share a port refuses to start (it did in CI).
   */
  public static int[] onLoopback(int count) throws IOException {
    var sockets = new ServerSocket[count];
    try {
      int[] ports = new int[count];
      for (int i = 0; i < count; i++) {
        sockets[i] = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        ports[i] = sockets[i].getLocalPort();
      }
      return ports;
    } finally {
      for (var socket : sockets) {
        if (socket != null) {
          socket.close();
        }
      }
    }
  }
}
