package dev.devtime.functions.team;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devtime.functions.auth.Authenticator;
import dev.devtime.functions.auth.Principal;
import dev.devtime.functions.http.HttpException;
import dev.devtime.functions.http.HttpRequest;
import dev.devtime.functions.http.HttpResponses;
import dev.devtime.functions.http.Params;
import dev.devtime.functions.query.DateRange;
import dev.devtime.functions.query.GoalsService;
import dev.devtime.functions.store.SettingsStore;
import dev.devtime.functions.store.TeamStore;
import dev.devtime.functions.store.TeamStore.Roster;
import dev.devtime.model.DurationFormat;
import dev.devtime.model.team.MemberDay;
import dev.devtime.model.team.ShareLevel;
import dev.devtime.model.team.TeamView;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The teams' reads: a team's stats over a range and its leaderboard for the dashboard, and WakaTime's
 * leaderboard routes (the instance's public board and the caller's private boards, which are their teams).
 * A view reads the team's roster (one Query) and its members' days in the range (one Query), never the
 * members' own partitions; share levels and membership are applied to what was read ({@link TeamView}).
 */
public final class TeamViews {

    /** Leaderboard rows per page, as WakaTime pages them. */
    static final int PAGE_SIZE = 100;
    /** At most this many Queries at once per view. */
    static final int READ_SLICES = 7;

    private static final ExecutorService READS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "devtime-team-read");
        t.setDaemon(true);
        return t;
    });

    private final Authenticator auth;
    private final TeamStore teams;
    private final SettingsStore settings;
    private final GoalsService goals;
    private final Clock clock;

    public TeamViews(Authenticator auth, TeamStore teams, SettingsStore settings, GoalsService goals, Clock clock) {
        this.auth = auth;
        this.teams = teams;
        this.settings = settings;
        this.goals = goals;
        this.clock = clock;
    }

    /** {@code GET /api/teams/{team}/stats}. */
    public APIGatewayV2HTTPResponse stats(HttpRequest request) {
        Principal p = auth.authenticate(request);
        return stats(request, p, id(request, "team"));
    }

    /** {@code GET /api/teams/{team}/leaderboard}. */
    public APIGatewayV2HTTPResponse teamBoard(HttpRequest request) {
        Principal p = auth.authenticate(request);
        return teamBoard(request, p, id(request, "team"));
    }

    /** WakaTime's {@code GET /users/current/leaderboards/{board}}: a team's board. */
    public APIGatewayV2HTTPResponse board(HttpRequest request) {
        Principal p = auth.authenticate(request);
        return teamBoard(request, p, id(request, "board"));
    }

    /** WakaTime's {@code GET /leaders}. */
    public APIGatewayV2HTTPResponse publicBoard(HttpRequest request) {
        return publicBoard(request, auth.authenticate(request));
    }

    /** WakaTime's {@code GET /users/current/leaderboards}. */
    public APIGatewayV2HTTPResponse boards(HttpRequest request) {
        return boards(auth.authenticate(request));
    }

    private static String id(HttpRequest request, String name) {
        String id = request.pathParameter(name);
        if (id == null || id.isEmpty() || !Params.fitsId(id)) {
            throw new HttpException(404, "no such team");
        }
        return id;
    }

    private LocalDate today(String user) {
        return LocalDate.now(clock.withZone(settings.get(user).timing().zone()));
    }

    private APIGatewayV2HTTPResponse stats(HttpRequest request, Principal p, String team) {
        // The roster, the caller's time zone and, once the range is known, the days: two round trips.
        CompletableFuture<Roster> rosterRead = async(() -> teams.roster(team));
        LocalDate today = today(p.userId());
        DateRange range = DateRange.of(request, today, () -> today.minusDays(TeamUpkeep.BACKFILL_DAYS), "week");
        CompletableFuture<Map<String, List<MemberDay>>> daysRead = rows(team, range.start(), range.end());
        Roster r = join(rosterRead);
        if (r == null || r.member(p.userId()) == null) {
            throw new HttpException(404, "no such team");
        }
        TeamView.Filter filter =
                new TeamView.Filter(emptyToNull(request.query("project")), emptyToNull(request.query("language")));
        TeamView.Stats s =
                TeamView.stats(range.start(), range.end(), TeamService.viewMembers(r), join(daysRead), filter);

        ObjectNode o = HttpResponses.JSON.createObjectNode();
        o.putObject("team").put("id", team).put("name", r.team().name());
        o.putObject("range")
                .put("start", range.start().toString())
                .put("end", range.end().toString());
        o.put("total_seconds", s.seconds());
        days(o.putArray("days"), s.days());
        ArrayNode members = o.putArray("members");
        for (TeamView.MemberStats m : s.members()) {
            ObjectNode row = members.addObject();
            row.put("user", m.member().user());
            row.put("name", m.member().name());
            row.put("share", m.member().share().wire());
            if (m.counted()) {
                row.put("total_seconds", m.seconds());
                days(row.putArray("days"), m.days());
            }
        }
        named(o.putArray("projects"), s.projects());
        named(o.putArray("languages"), s.languages());
        named(o.putArray("editors"), s.editors());
        named(o.putArray("categories"), s.categories());
        ObjectNode ai = o.putObject("ai");
        ArrayNode aiMembers = ai.putArray("members");
        for (TeamView.MemberAi m : s.aiByMember()) {
            tokens(
                    aiMembers
                            .addObject()
                            .put("user", m.member().user())
                            .put("name", m.member().name()),
                    m.usage());
        }
        ArrayNode models = ai.putArray("models");
        s.aiByModel().forEach(m -> tokens(models.addObject().put("name", m.model()), m));
        ArrayNode goalList = o.putArray("goals");
        for (TeamStore.Member m : r.members()) {
            if (m.shareGoals()) {
                ObjectNode g = goalList.addObject().put("user", m.user()).put("name", m.name());
                g.set("goals", goals.evaluated(m.user()));
            }
        }
        return HttpResponses.json(200, o);
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static void days(ArrayNode out, List<TeamView.DayTotal> days) {
        days.forEach(d -> out.addObject().put("date", d.date().toString()).put("total_seconds", d.seconds()));
    }

    private static void named(ArrayNode out, List<TeamView.Named> list) {
        list.forEach(n -> out.addObject().put("name", n.name()).put("total_seconds", n.seconds()));
    }

    private static void tokens(ObjectNode o, MemberDay.ModelUse u) {
        o.put("input_tokens", u.inputTokens())
                .put("output_tokens", u.outputTokens())
                .put("cache_read_tokens", u.cacheReadTokens())
                .put("cache_creation_tokens", u.cacheCreationTokens())
                .put("prompts", u.prompts());
    }

    /** A team's board over the last 7 days: the dashboard's route and WakaTime's private leaderboard. */
    private APIGatewayV2HTTPResponse teamBoard(HttpRequest request, Principal p, String team) {
        CompletableFuture<Roster> rosterRead = async(() -> teams.roster(team));
        LocalDate today = today(p.userId());
        LocalDate start = today.minusDays(6);
        CompletableFuture<Map<String, List<MemberDay>>> daysRead = rows(team, start, today);
        Roster r = join(rosterRead);
        if (r == null || r.member(p.userId()) == null) {
            throw new HttpException(404, "no such team");
        }
        String language = emptyToNull(request.query("language"));
        List<TeamView.Leader> leaders =
                TeamView.leaders(start, today, TeamService.viewMembers(r), join(daysRead), language);
        return HttpResponses.json(200, leadersJson(leaders, request, p.userId(), start, today, language));
    }

    /** The instance's board: users who share publicly, over the last 7 days. */
    private APIGatewayV2HTTPResponse publicBoard(HttpRequest request, Principal p) {
        LocalDate today = today(p.userId());
        LocalDate start = today.minusDays(6);
        Map<String, List<MemberDay>> rows = teams.rows(null, start, today);
        List<TeamView.Member> members = new ArrayList<>();
        rows.keySet().forEach(u -> members.add(new TeamView.Member(u, u, ShareLevel.BREAKDOWN, false)));
        String language = emptyToNull(request.query("language"));
        List<TeamView.Leader> leaders = TeamView.leaders(start, today, members, rows, language);
        return HttpResponses.json(200, leadersJson(leaders, request, p.userId(), start, today, language));
    }

    /** WakaTime's leaders shape, a page of {@link #PAGE_SIZE}. */
    static ObjectNode leadersJson(
            List<TeamView.Leader> leaders,
            HttpRequest request,
            String caller,
            LocalDate start,
            LocalDate end,
            String language) {
        int pages = Math.max(1, (leaders.size() + PAGE_SIZE - 1) / PAGE_SIZE);
        int page = 1;
        String pageParam = request.query("page");
        if (pageParam != null && !pageParam.isEmpty()) {
            try {
                page = Integer.parseInt(pageParam);
            } catch (NumberFormatException e) {
                throw new HttpException(400, "page must be a whole number from 1");
            }
            if (page < 1) {
                throw new HttpException(400, "page must be a whole number from 1");
            }
        }
        long days = end.toEpochDay() - start.toEpochDay() + 1;
        ObjectNode o = HttpResponses.JSON.createObjectNode();
        ArrayNode data = o.putArray("data");
        for (TeamView.Leader l : leaders.subList(
                Math.min(leaders.size(), (page - 1) * PAGE_SIZE), Math.min(leaders.size(), page * PAGE_SIZE))) {
            data.add(leaderJson(l, days));
        }
        o.put("page", page);
        o.put("total_pages", pages);
        if (language == null) {
            o.putNull("language");
        } else {
            o.put("language", language);
        }
        o.putObject("range")
                .put("start_date", start.toString())
                .put("end_date", end.toString())
                .put("name", "last_7_days")
                .put("text", "Last 7 Days");
        TeamView.Leader mine = leaders.stream()
                .filter(l -> l.member().user().equals(caller))
                .findFirst()
                .orElse(null);
        if (mine == null) {
            o.putNull("current_user");
        } else {
            ObjectNode cu = o.putObject("current_user");
            cu.put("rank", mine.rank());
            cu.put("page", (mine.rank() - 1) / PAGE_SIZE + 1);
            cu.set("user", userJson(mine.member()));
        }
        return o;
    }

    private static ObjectNode leaderJson(TeamView.Leader l, long days) {
        ObjectNode o = HttpResponses.JSON.createObjectNode();
        o.put("rank", l.rank());
        ObjectNode rt = o.putObject("running_total");
        double average = (double) l.seconds() / days;
        rt.put("total_seconds", (double) l.seconds());
        rt.put("human_readable_total", DurationFormat.text(l.seconds()));
        rt.put("daily_average", average);
        rt.put("human_readable_daily_average", DurationFormat.text(average));
        ArrayNode langs = rt.putArray("languages");
        l.languages().forEach(n -> langs.addObject().put("name", n.name()).put("total_seconds", (double) n.seconds()));
        o.set("user", userJson(l.member()));
        return o;
    }

    private static ObjectNode userJson(TeamView.Member m) {
        ObjectNode u = HttpResponses.JSON.createObjectNode();
        u.put("id", m.user());
        u.put("username", m.user());
        u.put("display_name", m.name());
        u.put("full_name", m.name());
        u.put("photo_public", false);
        u.put("is_email_public", false);
        u.putNull("email");
        u.putNull("photo");
        u.putNull("city");
        return u;
    }

    /** WakaTime's list of private leaderboards: the caller's teams. */
    private APIGatewayV2HTTPResponse boards(Principal p) {
        ObjectNode o = HttpResponses.JSON.createObjectNode();
        ArrayNode data = o.putArray("data");
        for (String id : teams.teamsOf(p.userId())) {
            Roster r = teams.roster(id);
            if (r == null || r.member(p.userId()) == null) {
                continue;
            }
            String created = Instant.ofEpochMilli(r.team().createdMs()).toString();
            boolean manager = r.member(p.userId()).role() != TeamStore.Role.MEMBER;
            data.addObject()
                    .put("id", id)
                    .put("name", r.team().name())
                    .put("members_count", r.members().size())
                    .put("members_with_timezones_count", r.members().size())
                    .put("created_at", created)
                    .put("modified_at", created)
                    .put("has_available_seat", r.members().size() < TeamService.MAX_MEMBERS)
                    .put("time_range", "last_7_days")
                    .put("can_edit", manager)
                    .put("can_delete", r.member(p.userId()).role() == TeamStore.Role.OWNER);
        }
        o.put("total", data.size());
        o.put("total_pages", 1);
        return HttpResponses.json(200, o);
    }

    /**
     * The team's member days in [from, to], read as up to {@link #READ_SLICES} Queries at once: a week of a
     * 200-member team is over a thousand items, and DynamoDB returns them faster in parallel. A Query is billed
     * by the size of all it returns, so slicing costs next to nothing.
     */
    private CompletableFuture<Map<String, List<MemberDay>>> rows(String team, LocalDate from, LocalDate to) {
        long days = to.toEpochDay() - from.toEpochDay() + 1;
        long perSlice = (days + READ_SLICES - 1) / READ_SLICES;
        List<CompletableFuture<Map<String, List<MemberDay>>>> slices = new ArrayList<>();
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(perSlice)) {
            LocalDate a = d;
            LocalDate b = d.plusDays(perSlice - 1).isAfter(to) ? to : d.plusDays(perSlice - 1);
            slices.add(async(() -> teams.rows(team, a, b)));
        }
        return CompletableFuture.allOf(slices.toArray(new CompletableFuture[0])).thenApply(x -> {
            Map<String, List<MemberDay>> all = new HashMap<>();
            for (CompletableFuture<Map<String, List<MemberDay>>> slice : slices) {
                slice.join()
                        .forEach((user, list) -> all.computeIfAbsent(user, k -> new ArrayList<>())
                                .addAll(list));
            }
            return all;
        });
    }

    private static <T> CompletableFuture<T> async(Supplier<T> read) {
        return CompletableFuture.supplyAsync(read, READS);
    }

    private static <T> T join(CompletableFuture<T> read) {
        try {
            return read.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }
}
