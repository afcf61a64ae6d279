/**
 * The Kafka wire protocol over TCP: {@link io.gregor.broker.network.SocketServer} accepts
 * connections on its listeners; per connection, a frame decoder (4-byte size, limit
 * {@code socket.request.max.bytes}) feeds a dispatcher that decodes the request header and body,
 * calls the {@link io.gregor.broker.api.ApiHandler} registered for the API key in the
 * {@link io.gregor.broker.api.HandlerRegistry}, and writes responses in request order.
 *
 * <p>Nothing here knows what an API does; handlers know nothing of Netty.
 */
package io.gregor.broker.network;
