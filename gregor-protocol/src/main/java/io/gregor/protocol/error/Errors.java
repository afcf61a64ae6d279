package io.gregor.protocol.error;

import java.util.Optional;

/**
 * The error codes of the Kafka protocol, as carried in every response's {@code error_code}
 * fields. Each constant knows its wire code, whether a client may simply retry, the simple
 * name of the exception Kafka's Java client raises for it (useful in logs and for clients'
 * error text), and a default message of ours for {@code error_message} fields.
 *
 * <p>Codes and names follow Kafka 4.1; a test compares every constant with the
 * kafka-clients jar.
 */
public enum Errors {
    UNKNOWN_SERVER_ERROR(-1, false, Optional.of("UnknownServerException"),
            "The server hit an unexpected error while handling the request."),
    NONE(0, false, Optional.empty(), "No error."),
    OFFSET_OUT_OF_RANGE(1, false, Optional.of("OffsetOutOfRangeException"),
            "The requested offset lies outside the offsets the server holds for this partition."),
    CORRUPT_MESSAGE(2, true, Optional.of("CorruptRecordException"),
            "A record failed its CRC check, has an invalid size, or is otherwise malformed."),
    UNKNOWN_TOPIC_OR_PARTITION(3, true, Optional.of("UnknownTopicOrPartitionException"),
            "This server does not host the requested topic or partition."),
    INVALID_FETCH_SIZE(4, false, Optional.of("InvalidFetchSizeException"),
            "The requested fetch size is not valid."),
    LEADER_NOT_AVAILABLE(5, true, Optional.of("LeaderNotAvailableException"),
            "The partition has no leader at the moment, for example during an election."),
    NOT_LEADER_OR_FOLLOWER(6, true, Optional.of("NotLeaderOrFollowerException"),
            "This server is neither the leader nor a follower of the partition."),
    REQUEST_TIMED_OUT(7, true, Optional.of("TimeoutException"),
            "The request did not complete within its timeout."),
    BROKER_NOT_AVAILABLE(8, false, Optional.of("BrokerNotAvailableException"),
            "The broker is not available."),
    REPLICA_NOT_AVAILABLE(9, true, Optional.of("ReplicaNotAvailableException"),
            "The replica is not available for the requested partition."),
    MESSAGE_TOO_LARGE(10, false, Optional.of("RecordTooLargeException"),
            "The request contains a record batch larger than the server accepts."),
    STALE_CONTROLLER_EPOCH(11, false, Optional.of("ControllerMovedException"),
            "The request carries an old controller epoch."),
    OFFSET_METADATA_TOO_LARGE(12, false, Optional.of("OffsetMetadataTooLarge"),
            "The metadata attached to the committed offset is too large."),
    NETWORK_EXCEPTION(13, true, Optional.of("NetworkException"),
            "The connection closed before a response arrived."),
    COORDINATOR_LOAD_IN_PROGRESS(14, true, Optional.of("CoordinatorLoadInProgressException"),
            "The coordinator is still loading its state."),
    COORDINATOR_NOT_AVAILABLE(15, true, Optional.of("CoordinatorNotAvailableException"),
            "The coordinator is not available."),
    NOT_COORDINATOR(16, true, Optional.of("NotCoordinatorException"),
            "This server is not the coordinator for the requested key."),
    INVALID_TOPIC_EXCEPTION(17, false, Optional.of("InvalidTopicException"),
            "The topic name is invalid or the operation is not allowed on this topic."),
    RECORD_LIST_TOO_LARGE(18, false, Optional.of("RecordBatchTooLargeException"),
            "The batch is larger than the maximum segment size."),
    NOT_ENOUGH_REPLICAS(19, true, Optional.of("NotEnoughReplicasException"),
            "Fewer in-sync replicas than min.insync.replicas; the write was rejected."),
    NOT_ENOUGH_REPLICAS_AFTER_APPEND(20, true, Optional.of("NotEnoughReplicasAfterAppendException"),
            "The write was appended to the leader, but fewer in-sync replicas than required acknowledged it."),
    INVALID_REQUIRED_ACKS(21, false, Optional.of("InvalidRequiredAcksException"),
            "The acks value of the request is not valid."),
    ILLEGAL_GENERATION(22, false, Optional.of("IllegalGenerationException"),
            "The group generation in the request is not the current one."),
    INCONSISTENT_GROUP_PROTOCOL(23, false, Optional.of("InconsistentGroupProtocolException"),
            "The member's protocol type or protocols do not match the group's."),
    INVALID_GROUP_ID(24, false, Optional.of("InvalidGroupIdException"),
            "The group id is not valid."),
    UNKNOWN_MEMBER_ID(25, false, Optional.of("UnknownMemberIdException"),
            "The coordinator does not know this member id."),
    INVALID_SESSION_TIMEOUT(26, false, Optional.of("InvalidSessionTimeoutException"),
            "The session timeout is outside the range the broker allows."),
    REBALANCE_IN_PROGRESS(27, false, Optional.of("RebalanceInProgressException"),
            "The group is rebalancing; the member must rejoin."),
    INVALID_COMMIT_OFFSET_SIZE(28, false, Optional.of("InvalidCommitOffsetSizeException"),
            "The offset commit was rejected because its metadata is too large."),
    TOPIC_AUTHORIZATION_FAILED(29, false, Optional.of("TopicAuthorizationException"),
            "Not authorized to access the topic."),
    GROUP_AUTHORIZATION_FAILED(30, false, Optional.of("GroupAuthorizationException"),
            "Not authorized to access the group."),
    CLUSTER_AUTHORIZATION_FAILED(31, false, Optional.of("ClusterAuthorizationException"),
            "Not authorized for this cluster operation."),
    INVALID_TIMESTAMP(32, false, Optional.of("InvalidTimestampException"),
            "A record timestamp is outside the accepted range."),
    UNSUPPORTED_SASL_MECHANISM(33, false, Optional.of("UnsupportedSaslMechanismException"),
            "The broker does not support the requested SASL mechanism."),
    ILLEGAL_SASL_STATE(34, false, Optional.of("IllegalSaslStateException"),
            "The request is not valid in the current SASL state."),
    UNSUPPORTED_VERSION(35, false, Optional.of("UnsupportedVersionException"),
            "The server does not support this request version."),
    TOPIC_ALREADY_EXISTS(36, false, Optional.of("TopicExistsException"),
            "The topic already exists."),
    INVALID_PARTITIONS(37, false, Optional.of("InvalidPartitionsException"),
            "The number of partitions is not valid."),
    INVALID_REPLICATION_FACTOR(38, false, Optional.of("InvalidReplicationFactorException"),
            "The replication factor is not valid."),
    INVALID_REPLICA_ASSIGNMENT(39, false, Optional.of("InvalidReplicaAssignmentException"),
            "The replica assignment is not valid."),
    INVALID_CONFIG(40, false, Optional.of("InvalidConfigurationException"),
            "The configuration is not valid."),
    NOT_CONTROLLER(41, true, Optional.of("NotControllerException"),
            "This server is not the active controller."),
    INVALID_REQUEST(42, false, Optional.of("InvalidRequestException"),
            "The request is malformed or not valid; the broker log may say why."),
    UNSUPPORTED_FOR_MESSAGE_FORMAT(43, false, Optional.of("UnsupportedForMessageFormatException"),
            "The message format of the log does not support this request."),
    POLICY_VIOLATION(44, false, Optional.of("PolicyViolationException"),
            "The request breaks a policy configured on the server."),
    OUT_OF_ORDER_SEQUENCE_NUMBER(45, false, Optional.of("OutOfOrderSequenceException"),
            "The broker received a sequence number out of order."),
    DUPLICATE_SEQUENCE_NUMBER(46, false, Optional.of("DuplicateSequenceException"),
            "The broker received a sequence number it already wrote."),
    INVALID_PRODUCER_EPOCH(47, false, Optional.of("InvalidProducerEpochException"),
            "The producer epoch is older than the one the broker knows."),
    INVALID_TXN_STATE(48, false, Optional.of("InvalidTxnStateException"),
            "The operation is not valid in the transaction's current state."),
    INVALID_PRODUCER_ID_MAPPING(49, false, Optional.of("InvalidPidMappingException"),
            "The producer id does not match the one mapped to the transactional id."),
    INVALID_TRANSACTION_TIMEOUT(50, false, Optional.of("InvalidTxnTimeoutException"),
            "The transaction timeout exceeds transaction.max.timeout.ms."),
    CONCURRENT_TRANSACTIONS(51, true, Optional.of("ConcurrentTransactionsException"),
            "Another transaction for this producer is still completing."),
    TRANSACTION_COORDINATOR_FENCED(52, false, Optional.of("TransactionCoordinatorFencedException"),
            "A newer transaction coordinator has taken over this transactional id."),
    TRANSACTIONAL_ID_AUTHORIZATION_FAILED(53, false, Optional.of("TransactionalIdAuthorizationException"),
            "Not authorized to use the transactional id."),
    SECURITY_DISABLED(54, false, Optional.of("SecurityDisabledException"),
            "Security features are disabled."),
    OPERATION_NOT_ATTEMPTED(55, false, Optional.of("OperationNotAttemptedException"),
            "The broker did not attempt this operation because another part of the request failed."),
    KAFKA_STORAGE_ERROR(56, true, Optional.of("KafkaStorageException"),
            "The disk holding the log failed."),
    LOG_DIR_NOT_FOUND(57, false, Optional.of("LogDirNotFoundException"),
            "The requested log directory does not exist."),
    SASL_AUTHENTICATION_FAILED(58, false, Optional.of("SaslAuthenticationException"),
            "SASL authentication failed."),
    UNKNOWN_PRODUCER_ID(59, false, Optional.of("UnknownProducerIdException"),
            "The broker has no state for this producer id."),
    REASSIGNMENT_IN_PROGRESS(60, false, Optional.of("ReassignmentInProgressException"),
            "A partition reassignment is in progress."),
    DELEGATION_TOKEN_AUTH_DISABLED(61, false, Optional.of("DelegationTokenDisabledException"),
            "Delegation token authentication is disabled."),
    DELEGATION_TOKEN_NOT_FOUND(62, false, Optional.of("DelegationTokenNotFoundException"),
            "The delegation token does not exist."),
    DELEGATION_TOKEN_OWNER_MISMATCH(63, false, Optional.of("DelegationTokenOwnerMismatchException"),
            "The principal is not the owner or a renewer of the delegation token."),
    DELEGATION_TOKEN_REQUEST_NOT_ALLOWED(64, false, Optional.of("UnsupportedByAuthenticationException"),
            "Delegation token requests are not allowed on this connection's authentication."),
    DELEGATION_TOKEN_AUTHORIZATION_FAILED(65, false, Optional.of("DelegationTokenAuthorizationException"),
            "Not authorized for the delegation token operation."),
    DELEGATION_TOKEN_EXPIRED(66, false, Optional.of("DelegationTokenExpiredException"),
            "The delegation token has expired."),
    INVALID_PRINCIPAL_TYPE(67, false, Optional.of("InvalidPrincipalTypeException"),
            "The principal type is not supported."),
    NON_EMPTY_GROUP(68, false, Optional.of("GroupNotEmptyException"),
            "The group still has members."),
    GROUP_ID_NOT_FOUND(69, false, Optional.of("GroupIdNotFoundException"),
            "The group does not exist."),
    FETCH_SESSION_ID_NOT_FOUND(70, true, Optional.of("FetchSessionIdNotFoundException"),
            "The fetch session id is not known to the server."),
    INVALID_FETCH_SESSION_EPOCH(71, true, Optional.of("InvalidFetchSessionEpochException"),
            "The fetch session epoch is not the expected one."),
    LISTENER_NOT_FOUND(72, true, Optional.of("ListenerNotFoundException"),
            "The leader has no endpoint for the listener the request came in on."),
    TOPIC_DELETION_DISABLED(73, false, Optional.of("TopicDeletionDisabledException"),
            "Topic deletion is disabled."),
    FENCED_LEADER_EPOCH(74, true, Optional.of("FencedLeaderEpochException"),
            "The leader epoch in the request is older than the broker's."),
    UNKNOWN_LEADER_EPOCH(75, true, Optional.of("UnknownLeaderEpochException"),
            "The leader epoch in the request is newer than the broker's."),
    UNSUPPORTED_COMPRESSION_TYPE(76, false, Optional.of("UnsupportedCompressionTypeException"),
            "The client's version does not support the requested compression type."),
    STALE_BROKER_EPOCH(77, false, Optional.of("StaleBrokerEpochException"),
            "The broker epoch is stale."),
    OFFSET_NOT_AVAILABLE(78, true, Optional.of("OffsetNotAvailableException"),
            "The leader's high watermark has not caught up yet, so the offset is not available."),
    MEMBER_ID_REQUIRED(79, false, Optional.of("MemberIdRequiredException"),
            "The member must rejoin with the member id the coordinator assigned."),
    PREFERRED_LEADER_NOT_AVAILABLE(80, true, Optional.of("PreferredLeaderNotAvailableException"),
            "The preferred leader is not available."),
    GROUP_MAX_SIZE_REACHED(81, false, Optional.of("GroupMaxSizeReachedException"),
            "The group has reached its maximum size."),
    FENCED_INSTANCE_ID(82, false, Optional.of("FencedInstanceIdException"),
            "Another member with the same group.instance.id has fenced this one."),
    ELIGIBLE_LEADERS_NOT_AVAILABLE(83, true, Optional.of("EligibleLeadersNotAvailableException"),
            "No eligible leader is available for the election."),
    ELECTION_NOT_NEEDED(84, true, Optional.of("ElectionNotNeededException"),
            "The leader election is not needed."),
    NO_REASSIGNMENT_IN_PROGRESS(85, false, Optional.of("NoReassignmentInProgressException"),
            "No partition reassignment is in progress."),
    GROUP_SUBSCRIBED_TO_TOPIC(86, false, Optional.of("GroupSubscribedToTopicException"),
            "The group is subscribed to the topic, so its offsets cannot be deleted."),
    INVALID_RECORD(87, false, Optional.of("InvalidRecordException"),
            "A record failed the broker's validation."),
    UNSTABLE_OFFSET_COMMIT(88, true, Optional.of("UnstableOffsetCommitException"),
            "A pending transactional offset commit blocks this request."),
    THROTTLING_QUOTA_EXCEEDED(89, true, Optional.of("ThrottlingQuotaExceededException"),
            "The request exceeded the throttling quota."),
    PRODUCER_FENCED(90, false, Optional.of("ProducerFencedException"),
            "A producer with a newer epoch has fenced this one."),
    RESOURCE_NOT_FOUND(91, false, Optional.of("ResourceNotFoundException"),
            "A requested resource does not exist."),
    DUPLICATE_RESOURCE(92, false, Optional.of("DuplicateResourceException"),
            "A resource appears more than once in the request."),
    UNACCEPTABLE_CREDENTIAL(93, false, Optional.of("UnacceptableCredentialException"),
            "The requested credential does not meet the criteria."),
    INCONSISTENT_VOTER_SET(94, false, Optional.of("InconsistentVoterSetException"),
            "The sender is not in the receiver's voter set, or the other way round."),
    INVALID_UPDATE_VERSION(95, false, Optional.of("InvalidUpdateVersionException"),
            "The update version is not valid."),
    FEATURE_UPDATE_FAILED(96, false, Optional.of("FeatureUpdateFailedException"),
            "The feature update failed."),
    PRINCIPAL_DESERIALIZATION_FAILURE(97, false, Optional.of("PrincipalDeserializationException"),
            "The forwarded principal could not be deserialized."),
    SNAPSHOT_NOT_FOUND(98, false, Optional.of("SnapshotNotFoundException"),
            "The requested snapshot does not exist."),
    POSITION_OUT_OF_RANGE(99, false, Optional.of("PositionOutOfRangeException"),
            "The requested position lies outside the snapshot."),
    UNKNOWN_TOPIC_ID(100, true, Optional.of("UnknownTopicIdException"),
            "This server does not know the topic id."),
    DUPLICATE_BROKER_REGISTRATION(101, false, Optional.of("DuplicateBrokerRegistrationException"),
            "Another broker is already registered with this id."),
    BROKER_ID_NOT_REGISTERED(102, false, Optional.of("BrokerIdNotRegisteredException"),
            "The broker id is not registered."),
    INCONSISTENT_TOPIC_ID(103, true, Optional.of("InconsistentTopicIdException"),
            "The topic id does not match the id in the log."),
    INCONSISTENT_CLUSTER_ID(104, false, Optional.of("InconsistentClusterIdException"),
            "The cluster id in the request does not match this cluster's."),
    TRANSACTIONAL_ID_NOT_FOUND(105, false, Optional.of("TransactionalIdNotFoundException"),
            "The transactional id does not exist."),
    FETCH_SESSION_TOPIC_ID_ERROR(106, true, Optional.of("FetchSessionTopicIdException"),
            "The fetch session saw topic ids used inconsistently."),
    INELIGIBLE_REPLICA(107, false, Optional.of("IneligibleReplicaException"),
            "The new ISR contains a replica that may not join it."),
    NEW_LEADER_ELECTED(108, false, Optional.of("NewLeaderElectedException"),
            "A new leader was elected after the request was sent."),
    OFFSET_MOVED_TO_TIERED_STORAGE(109, false, Optional.of("OffsetMovedToTieredStorageException"),
            "The requested offset has moved to tiered storage."),
    FENCED_MEMBER_EPOCH(110, false, Optional.of("FencedMemberEpochException"),
            "The member epoch is fenced; the member must rejoin with epoch 0."),
    UNRELEASED_INSTANCE_ID(111, false, Optional.of("UnreleasedInstanceIdException"),
            "The group.instance.id is still in use by another member."),
    UNSUPPORTED_ASSIGNOR(112, false, Optional.of("UnsupportedAssignorException"),
            "The group does not support the requested assignor."),
    STALE_MEMBER_EPOCH(113, false, Optional.of("StaleMemberEpochException"),
            "The member epoch is stale; the member may retry with its latest epoch."),
    MISMATCHED_ENDPOINT_TYPE(114, false, Optional.of("MismatchedEndpointTypeException"),
            "The request was sent to an endpoint of the wrong type."),
    UNSUPPORTED_ENDPOINT_TYPE(115, false, Optional.of("UnsupportedEndpointTypeException"),
            "This endpoint type does not support the request."),
    UNKNOWN_CONTROLLER_ID(116, false, Optional.of("UnknownControllerIdException"),
            "The controller id is not known."),
    UNKNOWN_SUBSCRIPTION_ID(117, false, Optional.of("UnknownSubscriptionIdException"),
            "The client telemetry subscription id is not known."),
    TELEMETRY_TOO_LARGE(118, false, Optional.of("TelemetryTooLargeException"),
            "The client telemetry push is larger than allowed."),
    INVALID_REGISTRATION(119, false, Optional.of("InvalidRegistrationException"),
            "The controller rejected the broker registration."),
    TRANSACTION_ABORTABLE(120, false, Optional.of("TransactionAbortableException"),
            "The server hit an error the producer can recover from by aborting the transaction."),
    INVALID_RECORD_STATE(121, false, Optional.of("InvalidRecordStateException"),
            "The record is not in a state that allows this share-group operation."),
    SHARE_SESSION_NOT_FOUND(122, true, Optional.of("ShareSessionNotFoundException"),
            "The share session is not known to the server."),
    INVALID_SHARE_SESSION_EPOCH(123, true, Optional.of("InvalidShareSessionEpochException"),
            "The share session epoch is not the expected one."),
    FENCED_STATE_EPOCH(124, false, Optional.of("FencedStateEpochException"),
            "The share coordinator state epoch is fenced."),
    INVALID_VOTER_KEY(125, false, Optional.of("InvalidVoterKeyException"),
            "The voter key does not match the receiver's."),
    DUPLICATE_VOTER(126, false, Optional.of("DuplicateVoterException"),
            "The voter is already in the voter set."),
    VOTER_NOT_FOUND(127, false, Optional.of("VoterNotFoundException"),
            "The voter is not in the voter set."),
    INVALID_REGULAR_EXPRESSION(128, false, Optional.of("InvalidRegularExpression"),
            "The regular expression is not valid."),
    REBOOTSTRAP_REQUIRED(129, false, Optional.of("RebootstrapRequiredException"),
            "The client must rebootstrap to get fresh cluster metadata."),
    STREAMS_INVALID_TOPOLOGY(130, false, Optional.of("StreamsInvalidTopologyException"),
            "The Streams topology is not valid."),
    STREAMS_INVALID_TOPOLOGY_EPOCH(131, false, Optional.of("StreamsInvalidTopologyEpochException"),
            "The Streams topology epoch is not valid."),
    STREAMS_TOPOLOGY_FENCED(132, false, Optional.of("StreamsTopologyFencedException"),
            "The Streams topology was fenced by a newer one."),
    SHARE_SESSION_LIMIT_REACHED(133, true, Optional.of("ShareSessionLimitReachedException"),
            "The share session cache is full.");

    private static final int FIRST_CODE = -1;
    private static final Errors[] BY_CODE = indexByCode();

    private final short code;
    private final boolean retriable;
    private final Optional<String> exceptionName;
    private final String message;

    Errors(int code, boolean retriable, Optional<String> exceptionName, String message) {
        this.code = (short) code;
        this.retriable = retriable;
        this.exceptionName = exceptionName;
        this.message = message;
    }

    /** The value written in {@code error_code} fields. */
    public short code() {
        return code;
    }

    /** True when the condition is transient and the client may retry the same request. */
    public boolean isRetriable() {
        return retriable;
    }

    /** Simple class name of the exception Kafka's Java client raises; empty for {@link #NONE}. */
    public Optional<String> exceptionName() {
        return exceptionName;
    }

    /** A default {@code error_message} for this code. */
    public String message() {
        return message;
    }

    /** An exception carrying this error, for code that signals failures by throwing. */
    public ApiException exception() {
        return new ApiException(this, message);
    }

    /** An exception carrying this error with a specific message. */
    public ApiException exception(String message) {
        return new ApiException(this, message);
    }

    /**
     * The error with this code. Codes from newer protocol versions that we do not know map to
     * {@link #UNKNOWN_SERVER_ERROR}, as Kafka's clients do; use {@link #lookup} to tell.
     */
    public static Errors forCode(short code) {
        return lookup(code).orElse(UNKNOWN_SERVER_ERROR);
    }

    /** The error with this code, or empty when the code is not one we know. */
    public static Optional<Errors> lookup(short code) {
        int index = code - FIRST_CODE;
        return index >= 0 && index < BY_CODE.length ? Optional.ofNullable(BY_CODE[index]) : Optional.empty();
    }

    private static Errors[] indexByCode() {
        int maxCode = FIRST_CODE;
        for (Errors error : values()) {
            maxCode = Math.max(maxCode, error.code);
        }
        Errors[] byCode = new Errors[maxCode - FIRST_CODE + 1];
        for (Errors error : values()) {
            if (byCode[error.code - FIRST_CODE] != null) {
                throw new ExceptionInInitializerError("Duplicate error code " + error.code);
            }
            byCode[error.code - FIRST_CODE] = error;
        }
        return byCode;
    }
}
