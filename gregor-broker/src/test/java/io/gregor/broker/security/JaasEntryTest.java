package io.gregor.broker.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gregor.protocol.config.ConfigException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JaasEntryTest {
    private static final String KEY = "listener.name.sasl_plaintext.plain.sasl.jaas.config";

    @Test
    void readsTheModuleAndItsOptionsAsKafkaDocumentsThem() {
        JaasEntry entry = JaasEntry.parse(KEY, "org.apache.kafka.common.security.plain.PlainLoginModule required\n"
                + "    username=\"admin\" password=\"admin-secret\"\n"
                + "    user_admin=\"admin-secret\" user_alice=\"a;l=i\\\"ce\";");
        assertThat(entry.loginModule()).isEqualTo("org.apache.kafka.common.security.plain.PlainLoginModule");
        assertThat(entry.options()).isEqualTo(Map.of("username", "admin", "password", "admin-secret",
                "user_admin", "admin-secret", "user_alice", "a;l=i\"ce"));
        assertThat(JaasEntry.parse(KEY, "M optional user_bob=bob-secret;").options())
                .isEqualTo(Map.of("user_bob", "bob-secret"));
    }

    @Test
    void malformedEntriesNameTheKeyButNotTheSecrets() {
        for (String text : new String[] {"M required user_a=\"x\"", "M always user_a=\"x\";", "M required user_a;",
                "M required user_a=\"x;", "M required user_a=\"x\"; N required;", ";"}) {
            assertThatThrownBy(() -> JaasEntry.parse(KEY, text)).as(text)
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining(KEY)
                    .hasMessageNotContaining("\"x");
        }
    }

    @Test
    void usersAreTheUserPrefixedOptions() {
        PlainUsers users = PlainUsers.fromJaasOptions(Map.of("username", "admin", "password", "p",
                "user_admin", "p", "user_alice", "alice-secret", "user_", "nobody"));
        assertThat(users.names()).containsExactlyInAnyOrder("admin", "alice");
        assertThat(users.matches("alice", "alice-secret")).isTrue();
        assertThat(users.matches("alice", "alice-secreT")).isFalse();
        assertThat(users.matches("username", "admin")).isFalse();
    }
}
