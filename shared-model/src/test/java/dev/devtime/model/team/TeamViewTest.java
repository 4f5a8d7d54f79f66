package dev.devtime.model.team;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.devtime.model.rollup.AiRow;
import dev.devtime.model.rollup.DayRollup;
import dev.devtime.model.rollup.DurationRow;
import dev.devtime.model.team.MemberDay.Combo;
import dev.devtime.model.team.MemberDay.ModelUse;
import dev.devtime.model.team.TeamView.Member;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TeamViewTest {

    static final LocalDate D1 = LocalDate.of(2026, 3, 9);
    static final LocalDate D2 = D1.plusDays(1);

    static DurationRow row(String project, String language, String branch, long ms) {
        return new DurationRow("vscode", project, language, "coding", "VS Code", "laptop", branch, "Linux", ms);
    }

    @Test
    void aMemberDayKeepsProjectLanguageEditorCategoryAndModelsButNoFilesBranchesOrMachines() {
        DayRollup d = new DayRollup(
                D1,
                List.of(
                        row("api", "Java", "main", 1_200_400),
                        row("api", "Java", "fix", 600_000),
                        row("web", "TypeScript", "main", 299_600)),
                List.of(
                        new AiRow("claude-code", "api", "opus", 10, 20, 3, 4, 2, 0, 0),
                        new AiRow("codex", "web", "opus", 1, 2, 0, 0, 1, 0, 0),
                        new AiRow("codex", "web", "gpt", 5, 5, 0, 0, 1, 0, 0)),
                List.of(),
                40);
        MemberDay m = MemberDay.of(d);
        assertEquals(
                new MemberDay(
                        D1,
                        2100,
                        List.of(
                                new Combo("api", "Java", "VS Code", "coding", 1800),
                                new Combo("web", "TypeScript", "VS Code", "coding", 300)),
                        List.of(new ModelUse("opus", 11, 22, 4, 3, 3), new ModelUse("gpt", 5, 5, 0, 0, 1))),
                m);
        String encoded = m.encode();
        assertFalse(encoded.contains("main") || encoded.contains("laptop") || encoded.contains("Linux"), encoded);
        assertEquals(m, MemberDay.decode(D1, encoded));
    }

    @Test
    void aBusyDayIsBoundedAndStillSumsToItsTotal() {
        List<DurationRow> rows = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            rows.add(row("p" + i + "x".repeat(400), "L" + (i % 7), "b", 60_000L + i * 1000));
        }
        MemberDay m = MemberDay.of(new DayRollup(D1, rows, List.of(), List.of(), 0));
        assertEquals(MemberDay.MAX_COMBOS, m.combos().size());
        assertEquals(MemberDay.OTHER, m.combos().get(MemberDay.MAX_COMBOS - 1).project());
        assertEquals(m.seconds(), m.combos().stream().mapToLong(Combo::seconds).sum());
        assertEquals(rows.stream().mapToLong(DurationRow::ms).sum() / 1000, m.seconds());
        assertTrue(m.encode().length() < 8 * 1024, "encoded " + m.encode().length());
    }

    static MemberDay day(LocalDate date, Combo... combos) {
        long s = 0;
        for (Combo c : combos) {
            s += c.seconds();
        }
        return new MemberDay(date, s, List.of(combos), List.of(new ModelUse("opus", 100, 10, 0, 0, 1)));
    }

    static Combo c(String project, String language, long seconds) {
        return new Combo(project, language, "VS Code", "coding", seconds);
    }

    final Member ann = new Member("u-ann", "Ann", ShareLevel.BREAKDOWN, false);
    final Member bob = new Member("u-bob", "Bob", ShareLevel.TOTALS, false);
    final Member cat = new Member("u-cat", "Cat", ShareLevel.NONE, true);
    final Map<String, List<MemberDay>> days = Map.of(
            "u-ann", List.of(day(D1, c("api", "Java", 3600), c("web", "TS", 600)), day(D2, c("api", "Go", 60))),
            "u-bob", List.of(day(D1, c("secret", "Rust", 1000)), day(D2.plusDays(1), c("secret", "Rust", 99))),
            "u-cat", List.of(day(D1, c("hidden", "C", 5000))),
            "u-gone", List.of(day(D1, c("left", "Java", 7000))));

    @Test
    void shareLevelsDecideWhatCountsWhereAndFormerMembersCountNowhere() {
        TeamView.Stats s = TeamView.stats(D1, D2, List.of(ann, bob, cat), days, TeamView.Filter.NONE);
        assertEquals(3600 + 600 + 60 + 1000, s.seconds());
        assertEquals(List.of(new TeamView.DayTotal(D1, 5200), new TeamView.DayTotal(D2, 60)), s.days());
        assertEquals(List.of(new TeamView.Named("api", 3660), new TeamView.Named("web", 600)), s.projects());
        assertEquals(
                List.of(new TeamView.Named("Java", 3600), new TeamView.Named("TS", 600), new TeamView.Named("Go", 60)),
                s.languages());
        assertEquals(List.of(new TeamView.Named("VS Code", 4260)), s.editors());
        assertEquals(3, s.members().size());
        assertEquals(
                new TeamView.MemberStats(
                        bob, true, 1000, List.of(new TeamView.DayTotal(D1, 1000), new TeamView.DayTotal(D2, 0))),
                s.members().get(1));
        assertEquals(
                new TeamView.MemberStats(cat, false, 0, List.of()), s.members().get(2));
        // AI usage from breakdown members only: Ann's two days.
        assertEquals(List.of(new TeamView.MemberAi(ann, new ModelUse("all", 200, 20, 0, 0, 2))), s.aiByMember());
        assertEquals(List.of(new ModelUse("opus", 200, 20, 0, 0, 2)), s.aiByModel());
    }

    @Test
    void aFilterCountsBreakdownMembersOnly() {
        TeamView.Stats s = TeamView.stats(D1, D2, List.of(ann, bob, cat), days, new TeamView.Filter("api", null));
        assertEquals(3660, s.seconds());
        assertEquals(List.of(new TeamView.Named("Java", 3600), new TeamView.Named("Go", 60)), s.languages());
        assertFalse(s.members().get(1).counted());
        TeamView.Stats rust = TeamView.stats(D1, D2, List.of(ann, bob, cat), days, new TeamView.Filter(null, "Rust"));
        assertEquals(0, rust.seconds());
        assertTrue(rust.aiByMember().isEmpty());
    }

    @Test
    void leadersRankMembersWhoShareAndFilterByLanguageOverBreakdownMembers() {
        Member dan = new Member("u-dan", "Dan", ShareLevel.BREAKDOWN, false);
        Map<String, List<MemberDay>> more = new java.util.HashMap<>(days);
        more.put("u-dan", List.of(day(D2, c("x", "Java", 4200))));
        List<TeamView.Leader> all = TeamView.leaders(D1, D2, List.of(ann, bob, cat, dan), more, null);
        assertEquals(
                List.of("Ann", "Dan", "Bob"),
                all.stream().map(l -> l.member().name()).toList());
        assertEquals(List.of(1, 2, 3), all.stream().map(TeamView.Leader::rank).toList());
        assertEquals(4260, all.get(0).seconds());
        assertTrue(all.get(2).languages().isEmpty(), "a totals member shows no languages");
        List<TeamView.Leader> java = TeamView.leaders(D1, D2, List.of(ann, bob, cat, dan), more, "Java");
        assertEquals(
                List.of("Dan", "Ann"), java.stream().map(l -> l.member().name()).toList());
        assertEquals(3600, java.get(1).seconds());
    }
}
