package io.gregor.protocol.gen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class VersionsTest {
    @Test
    void parsesEverySpellingTheSpecsUse() {
        assertThat(Versions.parse("3", Versions.NONE)).isEqualTo(new Versions((short) 3, (short) 3));
        assertThat(Versions.parse("1-4", Versions.NONE)).isEqualTo(new Versions((short) 1, (short) 4));
        assertThat(Versions.parse("2+", Versions.NONE)).isEqualTo(new Versions((short) 2, Short.MAX_VALUE));
        assertThat(Versions.parse("none", Versions.ALL).isEmpty()).isTrue();
        assertThat(Versions.parse(null, Versions.ALL)).isEqualTo(Versions.ALL);
    }

    @Test
    void conditionsOnlyTestTheBoundsThatNarrowTheKnownRange() {
        Versions known = Versions.parse("0-12", Versions.NONE);

        assertThat(Versions.parse("0+", Versions.NONE).condition(known)).isEqualTo("true");
        assertThat(Versions.parse("5+", Versions.NONE).condition(known)).isEqualTo("version >= 5");
        assertThat(Versions.parse("0-4", Versions.NONE).condition(known)).isEqualTo("version <= 4");
        assertThat(Versions.parse("3-4", Versions.NONE).condition(known)).isEqualTo("version >= 3 && version <= 4");
        assertThat(Versions.parse("13+", Versions.NONE).condition(known)).isEqualTo("false");
        assertThat(Versions.NONE.condition(known)).isEqualTo("false");
    }

    @Test
    void subtractsRangesFromEitherEnd() {
        Versions all = Versions.parse("0+", Versions.NONE);

        assertThat(all.subtract(Versions.parse("3+", Versions.NONE))).isEqualTo(Versions.parse("0-2", Versions.NONE));
        assertThat(all.subtract(Versions.parse("0-2", Versions.NONE))).isEqualTo(Versions.parse("3+", Versions.NONE));
        assertThat(all.subtract(all).isEmpty()).isTrue();
        assertThat(all.subtract(Versions.NONE)).isEqualTo(all);
        assertThatThrownBy(() -> all.subtract(Versions.parse("2-3", Versions.NONE)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void printsAsTheSpecsSpellIt() {
        assertThat(Versions.parse("2+", Versions.NONE)).hasToString("2+");
        assertThat(Versions.parse("1-4", Versions.NONE)).hasToString("1-4");
        assertThat(Versions.NONE).hasToString("none");
    }
}
