package dev.courier.client;

/**
 * Handles one delivery, on the client's event loop: it must not block. If it throws, the
 * delivery is nacked (unless the handler settled it already) and the consumer goes on with the
 * next one.
 */
@FunctionalInterface
public interface DeliveryHandler {
  void handle(Delivery delivery) throws Exception;
}
