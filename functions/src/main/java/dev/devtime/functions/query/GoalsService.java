package dev.devtime.functions.query;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devtime.functions.auth.Authenticator;
import dev.devtime.functions.auth.Principal;
import dev.devtime.functions.http.HttpException;
import dev.devtime.functions.http.HttpRequest;
import dev.devtime.functions.http.HttpResponses;
import dev.devtime.functions.http.JsonBody;
import dev.devtime.functions.http.Params;
import dev.devtime.functions.store.GoalStore;
import dev.devtime.functions.store.SettingsStore;
import dev.devtime.model.goal.Goal;
import dev.devtime.model.goal.GoalProgress;
import dev.devtime.model.rollup.DayRollup;
import dev.devtime.model.wakatime.WakaTimeJson;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Goals: WakaTime's {@code GET /users/current/goals[/{id}]} and the dashboard's {@code /api/goals} (list,
 * create, edit, pause by {@code is_enabled}, delete). Every goal is evaluated at read time from the day
 * rollups of the last eight weeks in the user's zone (one read shared by all goals), so heartbeats cost
 * nothing more.
 */
public final class GoalsService {

    private final Authenticator auth;
    private final GoalStore goals;
    private final RollupReader rollups;
    private final Clock clock;

    public GoalsService(Authenticator auth, GoalStore goals, RollupReader rollups, Clock clock) {
        this.auth = auth;
        this.goals = goals;
        this.rollups = rollups;
        this.clock = clock;
    }

    /** {@code {"data": [...], "total": n, "total_pages": 1}}, each goal evaluated. */
    public APIGatewayV2HTTPResponse list(String user) {
        ObjectNode o = HttpResponses.JSON.createObjectNode();
        ArrayNode data = evaluated(user);
        o.set("data", data);
        o.put("total", data.size());
        o.put("total_pages", 1);
        return HttpResponses.json(200, o);
    }

    /** The user's goals, each evaluated, as {@code data} of {@link #list} holds them (also for a team's view). */
    public ArrayNode evaluated(String user) {
        List<Goal> all = goals.list(user);
        ArrayNode data = HttpResponses.JSON.createArrayNode();
        if (!all.isEmpty()) {
            Evaluation e = evaluation(user);
            all.forEach(g -> data.add(e.json(g)));
        }
        return data;
    }

    /** {@code {"data": {...}, "cached_at": ...}}; 404 for a goal that is not the user's. */
    public APIGatewayV2HTTPResponse one(String user, String id) {
        Goal g = Params.fitsId(id) ? goals.get(user, id) : null;
        if (g == null) {
            throw new HttpException(404, "no such goal");
        }
        ObjectNode o = HttpResponses.JSON.createObjectNode();
        o.put("cached_at", WakaTimeJson.iso(clock.instant(), java.time.ZoneOffset.UTC));
        o.set("data", evaluation(user).json(g));
        return HttpResponses.json(200, o);
    }

    /** {@code GET /api/goals}. */
    public APIGatewayV2HTTPResponse dashboardList(HttpRequest request) {
        return list(dashboardUser(request));
    }

    /** {@code POST /api/goals}. */
    public APIGatewayV2HTTPResponse dashboardCreate(HttpRequest request) {
        return create(request, dashboardUser(request));
    }

    /** {@code PUT /api/goals/{id}}. */
    public APIGatewayV2HTTPResponse dashboardEdit(HttpRequest request) {
        String user = dashboardUser(request);
        return edit(request, user, goalId(request));
    }

    /** {@code DELETE /api/goals/{id}}. */
    public APIGatewayV2HTTPResponse dashboardDelete(HttpRequest request) {
        String user = dashboardUser(request);
        if (!goals.delete(user, goalId(request))) {
            throw new HttpException(404, "no such goal");
        }
        return HttpResponses.raw(204, "", "application/json", Map.of());
    }

    /** The dashboard's user: goals are edited there, and only read with an API key. */
    private String dashboardUser(HttpRequest request) {
        Principal p = auth.authenticate(request);
        if (p.viaApiKey()) {
            throw new HttpException(
                    403,
                    "goals are edited from the dashboard; an API key may only read them "
                            + "(GET /api/v1/users/current/goals)");
        }
        return p.userId();
    }

    private static String goalId(HttpRequest request) {
        String id = request.pathParameter("id");
        if (id == null || !Params.fitsId(id)) {
            throw new HttpException(404, "no such goal");
        }
        return id;
    }

    private APIGatewayV2HTTPResponse create(HttpRequest request, String user) {
        long now = clock.millis();
        Goal g = parse(request, UUID.randomUUID().toString(), now, now);
        if (goals.list(user).size() >= GoalStore.MAX_GOALS) {
            throw new HttpException(409, "you have " + GoalStore.MAX_GOALS + " goals already; delete one first");
        }
        goals.put(user, g, false);
        return created(user, g, 201);
    }

    private APIGatewayV2HTTPResponse edit(HttpRequest request, String user, String id) {
        Goal old = goals.get(user, id);
        if (old == null) {
            throw new HttpException(404, "no such goal");
        }
        Goal g = parse(request, id, old.createdMs(), clock.millis());
        if (!goals.put(user, g, true)) {
            throw new HttpException(404, "no such goal");
        }
        return created(user, g, 200);
    }

    private APIGatewayV2HTTPResponse created(String user, Goal g, int status) {
        ObjectNode o = HttpResponses.JSON.createObjectNode();
        o.set("data", evaluation(user).json(g));
        return HttpResponses.json(status, o);
    }

    private static Goal parse(HttpRequest request, String id, long createdMs, long nowMs) {
        try {
            return Goal.parse(JsonBody.parse(request.body()), id, createdMs, nowMs);
        } catch (Goal.Invalid e) {
            throw new HttpException(400, e.getMessage());
        }
    }

    /** The days every goal of one read is evaluated over, read once. */
    private Evaluation evaluation(String user) {
        SettingsStore.UserState state = rollups.state(user);
        LocalDate today = LocalDate.now(clock.withZone(state.timing().zone()));
        List<DayRollup> days = rollups.query(user, state, GoalProgress.firstDay(today), today);
        return new Evaluation(user, days, today, state);
    }

    private record Evaluation(String user, List<DayRollup> rollups, LocalDate today, SettingsStore.UserState state) {
        ObjectNode json(Goal g) {
            return GoalProgress.json(g, rollups, today, state.timing().zone(), user);
        }
    }
}
