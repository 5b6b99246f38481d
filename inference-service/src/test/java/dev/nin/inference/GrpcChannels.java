package dev.nin.inference;

import dev.nin.contracts.v1.InferenceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.net.URL;

/** A plain grpc-java client on the service's HTTP port (gRPC shares it). */
public final class GrpcChannels {

  private GrpcChannels() {}

  public static ManagedChannel open(URL service) {
    return NettyChannelBuilder.forAddress(service.getHost(), service.getPort())
        .usePlaintext()
        .build();
  }

  public static InferenceGrpc.InferenceBlockingStub inference(ManagedChannel channel) {
    return InferenceGrpc.newBlockingStub(channel);
  }
}
