package io.gregor.protocol.gen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

class TypeMapperTest {
    private static FieldSpec field(String type, String defaultText, String nullable) {
        return new FieldSpec("F", type, "0+", nullable, null, null, null, false,
                defaultText == null ? null : JsonNodeFactory.instance.textNode(defaultText), null, List.of());
    }

    @Test
    void mapsSpecTypesToJavaTypes() {
        assertThat(TypeMapper.javaType(FieldType.parse("uint16"))).isEqualTo("int");
        assertThat(TypeMapper.javaType(FieldType.parse("uint32"))).isEqualTo("long");
        assertThat(TypeMapper.javaType(FieldType.parse("[]int32"))).isEqualTo("java.util.List<Integer>");
        assertThat(TypeMapper.javaType(FieldType.parse("[]TopicData"))).isEqualTo("java.util.List<TopicData>");
        assertThat(TypeMapper.javaType(FieldType.parse("records"))).isEqualTo("io.gregor.protocol.record.BaseRecords");
        assertThatThrownBy(() -> FieldType.parse("int128")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void turnsHexNegativeAndAbsentDefaultsIntoLiterals() {
        assertThat(TypeMapper.defaultValue(field("int32", "0x7fffffff", null))).isEqualTo("2147483647");
        assertThat(TypeMapper.defaultValue(field("int32", "-2147483648", null))).isEqualTo("-2147483648");
        assertThat(TypeMapper.defaultValue(field("int64", "-1", null))).isEqualTo("-1L");
        assertThat(TypeMapper.defaultValue(field("int16", null, null))).isEqualTo("(short) 0");
        assertThat(TypeMapper.defaultValue(field("bool", "true", null))).isEqualTo("true");
        assertThat(TypeMapper.defaultValue(field("string", "null", "0+"))).isEqualTo("null");
        assertThat(TypeMapper.defaultValue(field("string", null, null))).isEqualTo("\"\"");
        assertThat(TypeMapper.defaultValue(field("[]int32", "null", "0+"))).isEqualTo("null");
        assertThatThrownBy(() -> TypeMapper.defaultValue(field("int8", "300", null)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void namesApiKeysInUpperSnakeCase() {
        assertThat(Names.upperSnake("DescribeUserScramCredentials")).isEqualTo("DESCRIBE_USER_SCRAM_CREDENTIALS");
        assertThat(Names.upperSnake("AddPartitionsToTxn")).isEqualTo("ADD_PARTITIONS_TO_TXN");
        assertThat(Names.lowerCamel("TopicData")).isEqualTo("topicData");
        assertThat(Names.lowerCamel("Default")).isEqualTo("default_");
    }
}
