/**
 * The delegation token APIs (KIP-48, KIP-373): CreateDelegationToken, RenewDelegationToken and
 * ExpireDelegationToken, which the active controller decides (other nodes forward them), and
 * DescribeDelegationToken, answered from the node's metadata image.
 */
package io.gregor.broker.api.token;
