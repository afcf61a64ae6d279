package io.gregor.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gregor.testkit.GregorProcess;
import io.gregor.testkit.PortFinder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateDelegationTokenOptions;
import org.apache.kafka.clients.admin.DescribeDelegationTokenOptions;
import org.apache.kafka.clients.admin.ExpireDelegationTokenOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RenewDelegationTokenOptions;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.DelegationTokenAuthorizationException;
import org.apache.kafka.common.errors.DelegationTokenNotFoundException;
import org.apache.kafka.common.errors.DelegationTokenOwnerMismatchException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnsupportedByAuthenticationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.token.delegation.DelegationToken;
import org.apache.kafka.common.security.token.delegation.TokenInformation;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delegation tokens (KIP-48) with Kafka's Admin client, producer and consumer: one broker with ACLs
 * enforced and a SASL_PLAINTEXT listener offering PLAIN (for the super user {@code admin}) and SCRAM
 * (for alice and bob, whose credentials admin sets). Alice obtains tokens over SCRAM; clients then
 * authenticate with a token over SCRAM with {@code tokenauth=true} and act as alice, under her ACLs.
 * Each test creates its own tokens.
 */
class DelegationTokensTest {
    private static final String PLAIN_USERS = "org.apache.kafka.common.security.plain.PlainLoginModule required "
            + "user_admin=\"admin-secret\";";
    private static final long EXPIRY_TIME_MS = 60_000;
    private static final long MAX_LIFETIME_MS = 600_000;

    @TempDir
    static Path dir;
    static GregorProcess broker;
    static String saslBootstrap;

    @BeforeAll
    static void startBrokerWithUsersAndAcls() throws Exception {
        List<Integer> ports = PortFinder.freeLoopbackPorts(2);
        saslBootstrap = "127.0.0.1:" + ports.get(1);
        broker = new GregorProcess(dir.resolve("data"), ports.get(0), Map.of(
                "listeners", "PLAINTEXT://127.0.0.1:" + ports.get(0) + ",SASL_PLAINTEXT://127.0.0.1:" + ports.get(1),
                "sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-256,SCRAM-SHA-512",
                "listener.name.sasl_plaintext.plain.sasl.jaas.config", PLAIN_USERS,
                "authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                "super.users", "User:admin",
                "delegation.token.secret.key", "token-secret-of-the-test-cluster",
                "delegation.token.expiry.time.ms", Long.toString(EXPIRY_TIME_MS),
                "delegation.token.max.lifetime.ms", Long.toString(MAX_LIFETIME_MS),
                "delegation.token.expiry.check.interval.ms", "500")).start();
        try (Admin admin = Clients.admin(saslBootstrap, plain("admin"))) {
            admin.alterUserScramCredentials(List.of(scramUser("alice"), scramUser("bob"))).all()
                    .get(30, TimeUnit.SECONDS);
            Clients.createTopicsAndAwaitLeaders(admin, List.of(new NewTopic("ledger", 1, (short) 1),
                    new NewTopic("payroll", 1, (short) 1)));
            admin.createAcls(List.of(
                    allowAlice(ResourceType.TOPIC, "ledger", AclOperation.WRITE),
                    allowAlice(ResourceType.TOPIC, "ledger", AclOperation.READ),
                    allowAlice(ResourceType.GROUP, "ledger-readers", AclOperation.READ)))
                    .all().get(30, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void clientsWithATokenProduceAndConsumeAsItsOwnerUnderTheOwnersAcls() throws Exception {
        DelegationToken token = create("alice", new CreateDelegationTokenOptions());
        TokenInformation info = token.tokenInfo();
        assertThat(info.owner()).isEqualTo(new KafkaPrincipal("User", "alice"));
        assertThat(info.tokenRequester()).isEqualTo(new KafkaPrincipal("User", "alice"));
        assertThat(info.expiryTimestamp() - info.issueTimestamp()).isEqualTo(EXPIRY_TIME_MS);
        assertThat(info.maxTimestamp() - info.issueTimestamp()).isEqualTo(MAX_LIFETIME_MS);

        List<String> sent = new ArrayList<>();
        try (KafkaProducer<String, String> producer = Clients.producer(saslBootstrap,
                withToken(token, "SCRAM-SHA-256"))) {
            for (int i = 0; i < 20; i++) {
                sent.add("entry-" + i);
                producer.send(new ProducerRecord<>("ledger", "entry-" + i));
            }
            producer.flush();
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("payroll", "raise")).get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(TopicAuthorizationException.class);
        }
        Map<String, Object> inGroup = new HashMap<>(withToken(token, "SCRAM-SHA-512"));
        inGroup.put(ConsumerConfig.GROUP_ID_CONFIG, "ledger-readers");
        try (KafkaConsumer<String, String> consumer = Clients.consumer(saslBootstrap, inGroup)) {
            consumer.subscribe(List.of("ledger"));
            assertThat(Clients.pollUntil(consumer, sent.size(), Duration.ofSeconds(60)).stream()
                    .map(ConsumerRecord::value)).containsExactlyInAnyOrderElementsOf(sent);
            consumer.commitSync();
        }
    }

    @Test
    void aClientAuthenticatedWithATokenOrNotAtAllCannotManageTokens() throws Exception {
        DelegationToken token = create("alice", new CreateDelegationTokenOptions());

        try (Admin withToken = Clients.admin(saslBootstrap, withToken(token, "SCRAM-SHA-512"))) {
            assertFailure(() -> withToken.createDelegationToken().delegationToken().get(30, TimeUnit.SECONDS),
                    UnsupportedByAuthenticationException.class);
            assertFailure(() -> withToken.renewDelegationToken(token.hmac()).expiryTimestamp()
                    .get(30, TimeUnit.SECONDS), UnsupportedByAuthenticationException.class);
            assertFailure(() -> withToken.describeDelegationToken().delegationTokens().get(30, TimeUnit.SECONDS),
                    UnsupportedByAuthenticationException.class);
        }
        try (Admin anonymous = Clients.admin(broker.bootstrapServers())) {
            assertFailure(() -> anonymous.createDelegationToken().delegationToken().get(30, TimeUnit.SECONDS),
                    UnsupportedByAuthenticationException.class);
        }
    }

    @Test
    void renewersRenewUpToTheMaximumLifetimeAndOthersMayNot() throws Exception {
        DelegationToken token = create("alice", new CreateDelegationTokenOptions()
                .renewers(List.of(new KafkaPrincipal("User", "bob"))));
        long maxTimestamp = token.tokenInfo().maxTimestamp();

        try (Admin bob = Clients.admin(saslBootstrap, scram("bob"))) {
            long renewed = bob.renewDelegationToken(token.hmac(), new RenewDelegationTokenOptions()
                    .renewTimePeriodMs(300_000)).expiryTimestamp().get(30, TimeUnit.SECONDS);
            assertThat(renewed).isGreaterThan(token.tokenInfo().expiryTimestamp()).isLessThan(maxTimestamp);
            long capped = bob.renewDelegationToken(token.hmac(), new RenewDelegationTokenOptions()
                    .renewTimePeriodMs(10 * MAX_LIFETIME_MS)).expiryTimestamp().get(30, TimeUnit.SECONDS);
            assertThat(capped).isEqualTo(maxTimestamp);
            assertThat(bob.describeDelegationToken().delegationTokens().get(30, TimeUnit.SECONDS))
                    .anySatisfy(described -> {
                        assertThat(described.tokenInfo().tokenId()).isEqualTo(token.tokenInfo().tokenId());
                        assertThat(described.tokenInfo().expiryTimestamp()).isEqualTo(maxTimestamp);
                        assertThat(described.tokenInfo().renewers()).containsExactly(new KafkaPrincipal("User", "bob"));
                        assertThat(described.hmac()).isEqualTo(token.hmac());
                    });
        }
        DelegationToken bobsOwn = create("bob", new CreateDelegationTokenOptions());
        try (Admin alice = Clients.admin(saslBootstrap, scram("alice"))) {
            assertFailure(() -> alice.renewDelegationToken(bobsOwn.hmac()).expiryTimestamp().get(30, TimeUnit.SECONDS),
                    DelegationTokenOwnerMismatchException.class);
            assertThat(alice.describeDelegationToken().delegationTokens().get(30, TimeUnit.SECONDS))
                    .noneSatisfy(described -> assertThat(described.tokenInfo().tokenId())
                            .isEqualTo(bobsOwn.tokenInfo().tokenId()));
        }
    }

    @Test
    void aTokenForAnotherOwnerNeedsCreateTokensOnThatUser() throws Exception {
        CreateDelegationTokenOptions forAlice = new CreateDelegationTokenOptions()
                .owner(new KafkaPrincipal("User", "alice"));
        try (Admin bob = Clients.admin(saslBootstrap, scram("bob"))) {
            assertFailure(() -> bob.createDelegationToken(forAlice).delegationToken().get(30, TimeUnit.SECONDS),
                    DelegationTokenAuthorizationException.class);
        }
        try (Admin admin = Clients.admin(saslBootstrap, plain("admin"))) {
            DelegationToken token = admin.createDelegationToken(forAlice).delegationToken().get(30, TimeUnit.SECONDS);
            assertThat(token.tokenInfo().owner()).isEqualTo(new KafkaPrincipal("User", "alice"));
            assertThat(token.tokenInfo().tokenRequester()).isEqualTo(new KafkaPrincipal("User", "admin"));
            try (KafkaProducer<String, String> producer = Clients.producer(saslBootstrap,
                    withToken(token, "SCRAM-SHA-512"))) {
                producer.send(new ProducerRecord<>("ledger", "on behalf of alice")).get(30, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void aTokenExpiredNowIsGoneAndNoLongerAuthenticates() throws Exception {
        DelegationToken token = create("alice", new CreateDelegationTokenOptions());
        assertThat(authenticates(token)).isTrue();

        try (Admin alice = Clients.admin(saslBootstrap, scram("alice"))) {
            alice.expireDelegationToken(token.hmac(), new ExpireDelegationTokenOptions().expiryTimePeriodMs(-1))
                    .expiryTimestamp().get(30, TimeUnit.SECONDS);
            assertThat(alice.describeDelegationToken().delegationTokens().get(30, TimeUnit.SECONDS))
                    .noneSatisfy(described -> assertThat(described.tokenInfo().tokenId())
                            .isEqualTo(token.tokenInfo().tokenId()));
            assertFailure(() -> alice.renewDelegationToken(token.hmac()).expiryTimestamp().get(30, TimeUnit.SECONDS),
                    DelegationTokenNotFoundException.class);
        }
        assertThat(authenticates(token)).isFalse();
    }

    @Test
    void aTokenPastItsLifetimeStopsAuthenticatingAndIsRemoved() throws Exception {
        DelegationToken token = create("alice", new CreateDelegationTokenOptions().maxlifeTimeMs(2_000));
        assertThat(token.tokenInfo().maxTimestamp() - token.tokenInfo().issueTimestamp()).isEqualTo(2_000);

        try (Admin alice = Clients.admin(saslBootstrap, scram("alice"))) {
            Awaitility.await("removal of the expired token").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> alice.describeDelegationToken().delegationTokens().get(30, TimeUnit.SECONDS).stream()
                            .noneMatch(described -> described.tokenInfo().tokenId()
                                    .equals(token.tokenInfo().tokenId())));
        }
        assertThat(authenticates(token)).isFalse();
    }

    @Test
    void aTokenSurvivesARestartOfTheBroker() throws Exception {
        DelegationToken token = create("alice", new CreateDelegationTokenOptions());

        broker.stop();
        broker.start();

        assertThat(authenticates(token)).isTrue();
        try (Admin alice = Clients.admin(saslBootstrap, scram("alice"))) {
            assertThat(alice.describeDelegationToken(new DescribeDelegationTokenOptions()
                    .owners(List.of(new KafkaPrincipal("User", "alice")))).delegationTokens()
                    .get(30, TimeUnit.SECONDS)).anySatisfy(described ->
                    assertThat(described.tokenInfo().tokenId()).isEqualTo(token.tokenInfo().tokenId()));
        }
    }

    @Test
    void kafkasDelegationTokensToolCreatesDescribesRenewsAndExpiresATokenOfItsUser() throws Exception {
        Path aliceConfig = dir.resolve("alice.properties");
        Properties settings = new Properties();
        settings.putAll(scram("alice"));
        try (var out = Files.newBufferedWriter(aliceConfig)) {
            settings.store(out, null);
        }
        String config = aliceConfig.toString();

        String created = tokens("--create", "--max-life-time-period", "-1", "--renewer-principal", "User:bob",
                "--command-config", config);
        List<String> row = KafkaTools.rows(created).stream().filter(columns -> columns.contains("User:alice"))
                .findFirst().orElseThrow(() -> new AssertionError("no token in\n" + created));
        String tokenId = row.get(0);
        String hmac = row.get(1);
        assertThat(row.subList(2, 5)).containsExactly("User:alice", "User:alice", "[User:bob]");
        assertThat(created).contains("Created delegation token with tokenId : " + tokenId);

        assertThat(tokens("--describe", "--owner-principal", "User:alice", "--command-config", config))
                .contains(tokenId + " " + hmac);
        assertThat(tokens("--renew", "--hmac", hmac, "--renew-time-period", "120000", "--command-config", config))
                .contains("Completed renew operation");
        assertThat(tokens("--expire", "--hmac", hmac, "--expiry-time-period", "-1", "--command-config", config))
                .contains("Completed expire operation");
        assertThat(tokens("--describe", "--owner-principal", "User:alice", "--command-config", config))
                .doesNotContain(tokenId);
    }

    @Test
    void gregorsTokenCommandsCreateDescribeRenewAndExpireATokenOfTheLoggedInUser() throws Exception {
        String[] alice = scram("alice").entrySet().stream()
                .flatMap(setting -> Stream.of("-X", setting.getKey() + "=" + setting.getValue()))
                .toArray(String[]::new);

        GregorCli.Result created = gregor(alice, "token", "create", "--renewer", "User:bob", "-o", "json");
        assertThat(created.exitCode()).as(created.err()).isZero();
        String tokenId = jsonField(created.out(), "tokenId");
        String hmac = jsonField(created.out(), "hmac");
        assertThat(jsonField(created.out(), "owner")).isEqualTo("User:alice");
        assertThat(created.out()).contains("\"User:bob\"");

        GregorCli.Result described = gregor(alice, "token", "describe");
        assertThat(described.out()).startsWith("TOKEN-ID").contains(tokenId + "  " + hmac);
        GregorCli.Result renewed = gregor(alice, "token", "renew", hmac, "--period-ms", "120000");
        assertThat(renewed.out()).as(renewed.err()).startsWith("Renewed the token: it expires at ");
        assertThat(gregor(alice, "token", "expire", hmac).out()).isEqualTo("Expired the token\n");
        assertThat(gregor(alice, "token", "describe", "--owner", "User:alice").out()).doesNotContain(tokenId);

        GregorCli.Result anonymous = GregorCli.run(dir, broker.bootstrapServers(), "", "token", "create");
        assertThat(anonymous.exitCode()).isEqualTo(1);
        assertThat(anonymous.err()).startsWith("Error: ");
    }

    private static GregorCli.Result gregor(String[] login, String... args) {
        return GregorCli.run(dir, saslBootstrap, "", Stream.concat(Stream.of(args), Stream.of(login))
                .toArray(String[]::new));
    }

    /** A string field of the first object of the JSON the command printed. */
    private static String jsonField(String json, String field) {
        String start = "\"" + field + "\": \"";
        int from = json.indexOf(start) + start.length();
        assertThat(from).as(field + " in " + json).isGreaterThanOrEqualTo(start.length());
        return json.substring(from, json.indexOf('"', from));
    }

    private static String tokens(String... args) {
        return KafkaTools.stdout(dir, saslBootstrap, "kafka-delegation-tokens", args);
    }

    /** A token for the SCRAM user, which asks for it over SCRAM-SHA-512. */
    private static DelegationToken create(String user, CreateDelegationTokenOptions options) throws Exception {
        try (Admin admin = Clients.admin(saslBootstrap, scram(user))) {
            return admin.createDelegationToken(options).delegationToken().get(30, TimeUnit.SECONDS);
        }
    }

    /** Whether a client logging in with the token gets past authentication (to describe the cluster). */
    private static boolean authenticates(DelegationToken token) throws Exception {
        try (Admin admin = Clients.admin(saslBootstrap, withToken(token, "SCRAM-SHA-256"))) {
            admin.describeCluster().nodes().get(30, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(SaslAuthenticationException.class);
            return false;
        }
    }

    private static Map<String, Object> withToken(DelegationToken token, String mechanism) {
        return Clients.saslPlaintext(mechanism, token.tokenInfo().tokenId(), token.hmacAsBase64String(),
                "tokenauth=\"true\"");
    }

    private static Map<String, Object> scram(String user) {
        return Clients.saslPlaintext("SCRAM-SHA-512", user, user + "-secret");
    }

    private static Map<String, Object> plain(String user) {
        return Clients.saslPlaintext("PLAIN", user, user + "-secret");
    }

    private static UserScramCredentialUpsertion scramUser(String user) {
        return new UserScramCredentialUpsertion(user, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096),
                user + "-secret");
    }

    private static AclBinding allowAlice(ResourceType type, String name, AclOperation operation) {
        return new AclBinding(new ResourcePattern(type, name, PatternType.LITERAL),
                new AccessControlEntry("User:alice", "*", operation, AclPermissionType.ALLOW));
    }

    private static void assertFailure(org.assertj.core.api.ThrowableAssert.ThrowingCallable call,
                                      Class<? extends Throwable> cause) {
        assertThatThrownBy(call).isInstanceOf(ExecutionException.class).cause().isInstanceOf(cause);
    }
}
