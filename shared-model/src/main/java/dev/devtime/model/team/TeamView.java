package dev.devtime.model.team;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A team's view over a range of days, computed from its members' stored {@link MemberDay}s. Who is a member
 * and what each one shares are applied here, when the view is read: rows of people who are no longer members
 * are ignored, and a member's share level applies to every day alike.
 *
 * <ul>
 *   <li>{@code none}: listed, no figures, counts nowhere;</li>
 *   <li>{@code totals}: counts in the team's total and daily totals and in their own row; without a
 *       breakdown their time cannot be filtered, so with a project or language filter they count nowhere;</li>
 *   <li>{@code breakdown}: counts everywhere, including the breakdown lists and AI usage.</li>
 * </ul>
 */
public final class TeamView {

    private TeamView() {}

    /** A current member as the view needs them. */
    public record Member(String user, String name, ShareLevel share, boolean shareGoals) {}

    public record DayTotal(LocalDate date, long seconds) {}

    public record Named(String name, long seconds) {}

    /** A member's figures; {@code counted} false (share none, or totals under a filter): no figures. */
    public record MemberStats(Member member, boolean counted, long seconds, List<DayTotal> days) {}

    public record MemberAi(Member member, MemberDay.ModelUse usage) {}

    public record Stats(
            LocalDate start,
            LocalDate end,
            long seconds,
            List<DayTotal> days,
            List<MemberStats> members,
            List<Named> projects,
            List<Named> languages,
            List<Named> editors,
            List<Named> categories,
            List<MemberAi> aiByMember,
            List<MemberDay.ModelUse> aiByModel) {}

    /** An optional exact-match filter on project and language (null: no filter). */
    public record Filter(String project, String language) {

        public static final Filter NONE = new Filter(null, null);

        public boolean any() {
            return project != null || language != null;
        }

        boolean matches(MemberDay.Combo c) {
            return (project == null || project.equals(c.project()))
                    && (language == null || language.equals(c.language()));
        }
    }

    /**
     * @param members the team's current members, in the order the view lists them
     * @param days    stored days by user; days outside [start, end] and users who are not members are ignored
     */
    public static Stats stats(
            LocalDate start, LocalDate end, List<Member> members, Map<String, List<MemberDay>> days, Filter filter) {
        Map<LocalDate, Long> teamDays = new TreeMap<>();
        Map<String, Long> projects = new HashMap<>();
        Map<String, Long> languages = new HashMap<>();
        Map<String, Long> editors = new HashMap<>();
        Map<String, Long> categories = new HashMap<>();
        Map<String, MemberDay.ModelUse> models = new TreeMap<>();
        List<MemberStats> rows = new ArrayList<>();
        List<MemberAi> ai = new ArrayList<>();
        long total = 0;
        for (Member m : members) {
            boolean counted = m.share() == ShareLevel.BREAKDOWN || (m.share() == ShareLevel.TOTALS && !filter.any());
            if (!counted) {
                rows.add(new MemberStats(m, false, 0, List.of()));
                continue;
            }
            Map<LocalDate, Long> mine = new TreeMap<>();
            MemberDay.ModelUse usage = new MemberDay.ModelUse("all", 0, 0, 0, 0, 0);
            for (MemberDay d : days.getOrDefault(m.user(), List.of())) {
                if (d.date().isBefore(start) || d.date().isAfter(end)) {
                    continue;
                }
                long s = 0;
                if (!filter.any()) {
                    s = d.seconds();
                }
                if (m.share() == ShareLevel.BREAKDOWN) {
                    for (MemberDay.Combo c : d.combos()) {
                        if (!filter.matches(c)) {
                            continue;
                        }
                        if (filter.any()) {
                            s += c.seconds();
                        }
                        projects.merge(c.project(), c.seconds(), Long::sum);
                        languages.merge(c.language(), c.seconds(), Long::sum);
                        editors.merge(c.editor(), c.seconds(), Long::sum);
                        categories.merge(c.category(), c.seconds(), Long::sum);
                    }
                    // AI usage has no language; a language filter leaves it out, a project filter cannot apply to it.
                    if (!filter.any()) {
                        for (MemberDay.ModelUse u : d.models()) {
                            models.merge(u.model(), u, MemberDay.ModelUse::plus);
                            usage = usage.plus(u);
                        }
                    }
                }
                mine.merge(d.date(), s, Long::sum);
            }
            long sum = 0;
            List<DayTotal> series = new ArrayList<>();
            for (LocalDate day = start; !day.isAfter(end); day = day.plusDays(1)) {
                long s = mine.getOrDefault(day, 0L);
                series.add(new DayTotal(day, s));
                teamDays.merge(day, s, Long::sum);
                sum += s;
            }
            total += sum;
            rows.add(new MemberStats(m, true, sum, series));
            if (m.share() == ShareLevel.BREAKDOWN && !filter.any()) {
                ai.add(new MemberAi(m, usage));
            }
        }
        List<DayTotal> series = new ArrayList<>();
        for (LocalDate day = start; !day.isAfter(end); day = day.plusDays(1)) {
            series.add(new DayTotal(day, teamDays.getOrDefault(day, 0L)));
        }
        List<MemberDay.ModelUse> byModel = new ArrayList<>(models.values());
        byModel.sort(Comparator.comparingLong(TeamView::tokens).reversed().thenComparing(MemberDay.ModelUse::model));
        return new Stats(
                start,
                end,
                total,
                series,
                rows,
                sorted(projects),
                sorted(languages),
                sorted(editors),
                sorted(categories),
                ai,
                byModel);
    }

    /** One row of a leaderboard: a member's seconds over the range and, for breakdown members, their languages. */
    public record Leader(Member member, int rank, long seconds, List<Named> languages) {}

    /**
     * A leaderboard: members who share at least totals and have time in the range, most time first (ties by
     * name, then id); with a language filter only breakdown members, by their time in that language.
     */
    public static List<Leader> leaders(
            LocalDate start,
            LocalDate end,
            Collection<Member> members,
            Map<String, List<MemberDay>> days,
            String language) {
        record Row(Member m, long seconds, List<Named> languages) {}
        List<Row> rows = new ArrayList<>();
        for (Member m : members) {
            if (m.share() == ShareLevel.NONE || (language != null && m.share() != ShareLevel.BREAKDOWN)) {
                continue;
            }
            long seconds = 0;
            Map<String, Long> langs = new HashMap<>();
            for (MemberDay d : days.getOrDefault(m.user(), List.of())) {
                if (d.date().isBefore(start) || d.date().isAfter(end)) {
                    continue;
                }
                if (language == null) {
                    seconds += d.seconds();
                }
                if (m.share() == ShareLevel.BREAKDOWN) {
                    for (MemberDay.Combo c : d.combos()) {
                        langs.merge(c.language(), c.seconds(), Long::sum);
                        if (language != null && language.equals(c.language())) {
                            seconds += c.seconds();
                        }
                    }
                }
            }
            if (seconds > 0) {
                rows.add(new Row(m, seconds, sorted(langs)));
            }
        }
        rows.sort(Comparator.comparingLong(Row::seconds)
                .reversed()
                .thenComparing(r -> r.m().name())
                .thenComparing(r -> r.m().user()));
        List<Leader> out = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            out.add(new Leader(r.m(), i + 1, r.seconds(), r.languages()));
        }
        return out;
    }

    private static long tokens(MemberDay.ModelUse m) {
        return m.inputTokens() + m.outputTokens() + m.cacheReadTokens() + m.cacheCreationTokens();
    }

    /** Largest first, ties by name; zero entries left out. */
    static List<Named> sorted(Map<String, Long> m) {
        List<Named> out = new ArrayList<>();
        m.forEach((k, v) -> {
            if (v > 0) {
                out.add(new Named(k, v));
            }
        });
        out.sort(Comparator.comparingLong(Named::seconds).reversed().thenComparing(Named::name));
        return out;
    }
}
