/**
 * The ACL APIs (KIP-11, KIP-140): CreateAcls and DeleteAcls change the ACLs in the cluster
 * metadata through the active controller; DescribeAcls reads them from the local image.
 */
package io.gregor.broker.api.acl;
