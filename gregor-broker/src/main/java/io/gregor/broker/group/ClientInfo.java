package io.gregor.broker.group;

/** Who sent a JoinGroup, as DescribeGroups shows it: the client id and "/address". */
public record ClientInfo(String clientId, String clientHost) {
}
