package dev.nin.inference.prediction;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * A unary call whose message cannot be parsed is the client's error: {@code INVALID_ARGUMENT}. The
 * gRPC server drops a message it cannot decode, so the call reaches its half-close without a
 * request, which grpc-java's unary handler answers with {@code INTERNAL} ("Half-closed without a
 * request"): a server error for bad input, found by {@code GeneratedGrpcRequestsIT}.
 */
@ApplicationScoped
@GlobalInterceptor
public class MalformedRequestInterceptor implements ServerInterceptor {

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    ServerCall.Listener<Q> handler = next.startCall(call, headers);
    if (call.getMethodDescriptor().getType() != MethodDescriptor.MethodType.UNARY) {
      return handler;
    }
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(handler) {
      private boolean received;

      @Override
      public void onMessage(Q message) {
        received = true;
        super.onMessage(message);
      }

      @Override
      public void onHalfClose() {
        if (!received) {
          call.close(
              Status.INVALID_ARGUMENT.withDescription(
                  "the request is not a valid "
                      + call.getMethodDescriptor().getFullMethodName()
                      + " message"),
              new Metadata());
          return;
        }
        super.onHalfClose();
      }
    };
  }
}
