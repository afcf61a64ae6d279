/**
 * Access control lists as Kafka defines them (KIP-11, KIP-290): who may do which operation on
 * which resource. The ACLs live in the cluster metadata, so every node authorizes the same way.
 */
package io.gregor.metadata.acl;
