package io.gregor.broker.api.group;

import io.gregor.broker.api.RequestContext;
import io.gregor.broker.group.ClientInfo;

/** How group requests name the client that sent them. */
final class Clients {
    private Clients() {
    }

    /** The client id and "/address", as Kafka's DescribeGroups shows members. */
    static ClientInfo of(RequestContext context) {
        String host = context.clientAddress() == null ? "" : "/" + context.clientAddress().getHostAddress();
        return new ClientInfo(context.clientId() == null ? "" : context.clientId(), host);
    }
}
