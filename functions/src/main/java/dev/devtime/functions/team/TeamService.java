package dev.devtime.functions.team;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devtime.functions.Log;
import dev.devtime.functions.auth.Authenticator;
import dev.devtime.functions.auth.Principal;
import dev.devtime.functions.http.HttpException;
import dev.devtime.functions.http.HttpRequest;
import dev.devtime.functions.http.HttpResponses;
import dev.devtime.functions.http.JsonBody;
import dev.devtime.functions.http.Params;
import dev.devtime.functions.queue.HeartbeatQueue;
import dev.devtime.functions.store.TeamStore;
import dev.devtime.functions.store.TeamStore.Member;
import dev.devtime.functions.store.TeamStore.Role;
import dev.devtime.functions.store.TeamStore.Roster;
import dev.devtime.model.team.ShareLevel;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Team management from the dashboard: create, list, read, rename and delete teams; invites (random
 * single-use codes, stored only as hashes, expiring); joining, leaving, removing members, roles, ownership;
 * and each member's choice of what the team sees of them. A team the caller is not in answers 404, as one
 * that does not exist, so team ids say nothing.
 */
public final class TeamService {

    public static final int MAX_NAME = 100;
    public static final int MAX_MEMBERS = 500;
    public static final int MAX_TEAMS_PER_USER = 50;
    public static final int DEFAULT_INVITE_HOURS = 168;
    public static final int MAX_INVITE_HOURS = 720;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Authenticator auth;
    private final TeamStore teams;
    private final TeamUpkeep upkeep;
    private final HeartbeatQueue queue;
    private final Clock clock;

    public TeamService(Authenticator auth, TeamStore teams, TeamUpkeep upkeep, HeartbeatQueue queue, Clock clock) {
        this.auth = auth;
        this.teams = teams;
        this.upkeep = upkeep;
        this.queue = queue;
        this.clock = clock;
    }

    /** The dashboard's user: teams are managed with a sign-in, not with a plugin's API key. */
    private String signedIn(HttpRequest request) {
        Principal p = auth.authenticate(request);
        if (p.viaApiKey()) {
            throw new HttpException(403, "teams are managed from the dashboard, not with an API key");
        }
        return p.userId();
    }

    /** The {@code {team}} of the route; one that cannot exist is as unknown as one that does not. */
    private static String team(HttpRequest request) {
        String team = request.pathParameter("team");
        if (team == null || team.isEmpty() || !Params.fitsId(team)) {
            throw notFound();
        }
        return team;
    }

    /** {@code GET /api/teams}. */
    public APIGatewayV2HTTPResponse list(HttpRequest request) {
        return list(signedIn(request));
    }

    /** {@code POST /api/teams}. */
    public APIGatewayV2HTTPResponse create(HttpRequest request) {
        return create(request, signedIn(request));
    }

    /** {@code POST /api/teams/join}. */
    public APIGatewayV2HTTPResponse join(HttpRequest request) {
        return join(request, signedIn(request));
    }

    /** {@code GET /api/teams/{team}}. */
    public APIGatewayV2HTTPResponse get(HttpRequest request) {
        String user = signedIn(request);
        return HttpResponses.json(200, teamJson(roster(team(request), user), user, true));
    }

    /** {@code PATCH /api/teams/{team}}. */
    public APIGatewayV2HTTPResponse rename(HttpRequest request) {
        String user = signedIn(request);
        return rename(request, team(request), user);
    }

    /** {@code DELETE /api/teams/{team}}. */
    public APIGatewayV2HTTPResponse delete(HttpRequest request) {
        String user = signedIn(request);
        return delete(team(request), user);
    }

    /** {@code POST /api/teams/{team}/invites}. */
    public APIGatewayV2HTTPResponse invite(HttpRequest request) {
        String user = signedIn(request);
        return invite(request, team(request), user);
    }

    /** {@code POST /api/teams/{team}/owner}. */
    public APIGatewayV2HTTPResponse transfer(HttpRequest request) {
        String user = signedIn(request);
        return transfer(request, team(request), user);
    }

    /** {@code PUT /api/teams/{team}/sharing}. */
    public APIGatewayV2HTTPResponse sharing(HttpRequest request) {
        String user = signedIn(request);
        return sharing(request, team(request), user);
    }

    /** {@code PATCH /api/teams/{team}/members/{user}}. */
    public APIGatewayV2HTTPResponse setRole(HttpRequest request) {
        String user = signedIn(request);
        return setRole(request, team(request), user, member(request, user));
    }

    /** {@code DELETE /api/teams/{team}/members/{user}}; {@code me} is the caller. */
    public APIGatewayV2HTTPResponse removeMember(HttpRequest request) {
        String user = signedIn(request);
        return removeMember(team(request), user, member(request, user));
    }

    private static String member(HttpRequest request, String caller) {
        String target = request.pathParameter("user");
        if (target == null || target.isEmpty() || !Params.fitsId(target)) {
            throw new HttpException(404, "no such member");
        }
        return target.equals("me") ? caller : target;
    }

    private static HttpException notFound() {
        return new HttpException(404, "no such team");
    }

    /** The team as the caller may see it: 404 unless they are a member. */
    private Roster roster(String team, String user) {
        Roster r = teams.roster(team);
        if (r == null || r.member(user) == null) {
            throw notFound();
        }
        return r;
    }

    private APIGatewayV2HTTPResponse list(String user) {
        ObjectNode out = HttpResponses.JSON.createObjectNode();
        ArrayNode data = out.putArray("data");
        for (String id : teams.teamsOf(user)) {
            Roster r = teams.roster(id);
            Member me = r == null ? null : r.member(user);
            if (me == null) {
                continue;
            }
            ObjectNode t = data.addObject();
            t.put("id", id);
            t.put("name", r.team().name());
            t.put("role", me.role().wire());
            t.put("member_count", r.members().size());
            t.put("share", me.share().wire());
            t.put("created_at", Instant.ofEpochMilli(r.team().createdMs()).toString());
        }
        return HttpResponses.json(200, out);
    }

    private APIGatewayV2HTTPResponse create(HttpRequest request, String user) {
        JsonNode body = object(request);
        String name = name(body);
        if (teams.teamsOf(user).size() >= MAX_TEAMS_PER_USER) {
            throw new HttpException(409, "you are in " + MAX_TEAMS_PER_USER + " teams already; leave one first");
        }
        long now = clock.millis();
        String id = randomId(12);
        Member owner = new Member(user, Role.OWNER, ShareLevel.NONE, false, null, now);
        teams.create(new TeamStore.Team(id, name, user, now, 1), owner);
        upkeep.backfill(user, id, TeamUpkeep.BACKFILL_DAYS);
        Log.info("team created", "team", id, "user", user);
        return HttpResponses.json(201, teamJson(teams.roster(id, true), user, false));
    }

    private APIGatewayV2HTTPResponse rename(HttpRequest request, String team, String user) {
        Roster r = roster(team, user);
        requireRole(r, user, Role.ADMIN);
        String name = name(object(request));
        if (!teams.rename(team, name)) {
            throw notFound();
        }
        return HttpResponses.json(200, teamJson(teams.roster(team, true), user, true));
    }

    private APIGatewayV2HTTPResponse delete(String team, String user) {
        Roster r = roster(team, user);
        requireRole(r, user, Role.OWNER);
        teams.deleteTeam(team, r.members());
        // The members' days can be many: they go a part per queue message, as an account's data does.
        queue.deleteTeam(team, clock.millis());
        Log.info("team deleted", "team", team, "user", user);
        return HttpResponses.raw(204, "", "application/json", Map.of());
    }

    private APIGatewayV2HTTPResponse invite(HttpRequest request, String team, String user) {
        Roster r = roster(team, user);
        requireRole(r, user, Role.ADMIN);
        JsonNode body = request.body().length == 0 ? HttpResponses.JSON.createObjectNode() : object(request);
        int hours = DEFAULT_INVITE_HOURS;
        if (body.has("expires_in_hours")) {
            JsonNode h = body.get("expires_in_hours");
            if (!h.isIntegralNumber()
                    || !h.canConvertToLong()
                    || h.longValue() < 1
                    || h.longValue() > MAX_INVITE_HOURS) {
                throw new HttpException(400, "expires_in_hours must be a whole number from 1 to " + MAX_INVITE_HOURS);
            }
            hours = h.intValue();
        }
        // 256 random bits, url-safe: the link carries it, only its hash is stored.
        String code = randomId(32);
        long now = clock.millis();
        long expires = now + hours * 3_600_000L;
        teams.putInvite(hash(code), team, user, now, expires);
        ObjectNode out = HttpResponses.JSON.createObjectNode();
        out.put("code", code);
        out.put("expires_at", Instant.ofEpochMilli(expires).toString());
        return HttpResponses.json(201, out);
    }

    private APIGatewayV2HTTPResponse join(HttpRequest request, String user) {
        JsonNode body = object(request);
        JsonNode c = body.get("code");
        if (c == null || !c.isTextual() || c.asText().isEmpty() || c.asText().length() > 200) {
            throw new HttpException(400, "send {\"code\": \"...\"} with the invite's code");
        }
        String hash = hash(c.asText());
        TeamStore.Invite invite = teams.invite(hash);
        if (invite == null) {
            throw new HttpException(404, "no such invite");
        }
        long now = clock.millis();
        if (invite.usedMs() > 0 || invite.expiresMs() <= now) {
            throw new HttpException(410, invite.usedMs() > 0 ? "this invite has been used" : "this invite has expired");
        }
        Roster r = teams.roster(invite.team());
        if (r == null) {
            throw new HttpException(404, "the team of this invite no longer exists");
        }
        if (r.member(user) != null) {
            throw new HttpException(409, "you are a member of this team already");
        }
        if (teams.teamsOf(user).size() >= MAX_TEAMS_PER_USER) {
            throw new HttpException(409, "you are in " + MAX_TEAMS_PER_USER + " teams already; leave one first");
        }
        try {
            teams.join(
                    hash,
                    invite.team(),
                    new Member(user, Role.MEMBER, ShareLevel.NONE, false, null, now),
                    now,
                    MAX_MEMBERS);
        } catch (TeamStore.JoinRefused e) {
            throw switch (e.reason) {
                case ALREADY_MEMBER -> new HttpException(409, "you are a member of this team already");
                case INVITE_SPENT -> new HttpException(410, "this invite has been used or has expired");
                case TEAM_GONE_OR_FULL ->
                    teams.roster(invite.team(), true) == null
                            ? new HttpException(404, "the team of this invite no longer exists")
                            : new HttpException(
                                    409, "the team has " + MAX_MEMBERS + " members, as many as a team may have");
            };
        }
        return joined(user, invite.team());
    }

    private APIGatewayV2HTTPResponse joined(String user, String team) {
        upkeep.backfill(user, team, TeamUpkeep.BACKFILL_DAYS);
        Log.info("team joined", "team", team, "user", user);
        return HttpResponses.json(200, teamJson(teams.roster(team, true), user, false));
    }

    private APIGatewayV2HTTPResponse setRole(HttpRequest request, String team, String user, String target) {
        Roster r = roster(team, user);
        Member me = r.member(user);
        JsonNode body = object(request);
        String wanted = body.path("role").asText("");
        Role role = wanted.equals("admin") ? Role.ADMIN : wanted.equals("member") ? Role.MEMBER : null;
        if (!body.path("role").isTextual() || role == null) {
            throw new HttpException(
                    400, "role must be \"admin\" or \"member\"; ownership moves with POST /api/teams/{team}/owner");
        }
        Member other = r.member(target);
        if (other == null) {
            throw new HttpException(404, "no such member");
        }
        if (other.role() == Role.OWNER) {
            throw new HttpException(409, "the owner's role changes only by handing over ownership");
        }
        // The owner sets any role; an admin may promote or demote members but not other admins.
        if (me.role() == Role.MEMBER || (me.role() == Role.ADMIN && other.role() != Role.MEMBER)) {
            throw new HttpException(403, "only the owner changes the roles of admins; members change no roles");
        }
        if (!teams.setRole(team, target, role)) {
            throw new HttpException(404, "no such member");
        }
        return HttpResponses.json(200, memberJson(teams.member(team, target)));
    }

    private APIGatewayV2HTTPResponse removeMember(String team, String user, String target) {
        Roster r = roster(team, user);
        Member me = r.member(user);
        Member other = r.member(target);
        if (other == null) {
            throw new HttpException(404, "no such member");
        }
        if (other.role() == Role.OWNER) {
            throw new HttpException(
                    409,
                    target.equals(user)
                            ? "the owner cannot leave: hand ownership to another member or delete the team first"
                            : "the owner cannot be removed");
        }
        if (!target.equals(user)
                && (me.role() == Role.MEMBER || (me.role() == Role.ADMIN && other.role() != Role.MEMBER))) {
            throw new HttpException(403, "only the owner removes admins; members remove no one but themselves");
        }
        if (!teams.remove(team, target)) {
            throw new HttpException(404, "no such member");
        }
        upkeep.removeRows(target, team);
        Log.info(target.equals(user) ? "team left" : "team member removed", "team", team, "user", target, "by", user);
        return HttpResponses.raw(204, "", "application/json", Map.of());
    }

    private APIGatewayV2HTTPResponse transfer(HttpRequest request, String team, String user) {
        Roster r = roster(team, user);
        requireRole(r, user, Role.OWNER);
        JsonNode body = object(request);
        if (!body.path("user").isTextual() || !Params.fitsId(body.get("user").asText())) {
            throw new HttpException(400, "send {\"user\": \"<member's user id>\"}");
        }
        String to = body.get("user").asText();
        if (to.equals(user)) {
            throw new HttpException(409, "you own this team already");
        }
        if (r.member(to) == null) {
            throw new HttpException(404, "no such member");
        }
        if (!teams.transfer(team, user, to)) {
            throw new HttpException(409, "the team changed meanwhile; reload and try again");
        }
        return HttpResponses.json(200, teamJson(teams.roster(team, true), user, true));
    }

    private APIGatewayV2HTTPResponse sharing(HttpRequest request, String team, String user) {
        Roster r = roster(team, user);
        Member me = r.member(user);
        JsonNode body = object(request);
        ShareLevel share = me.share();
        if (body.has("share")) {
            share = body.get("share").isTextual()
                    ? ShareLevel.parse(body.get("share").asText())
                    : null;
            if (share == null) {
                throw new HttpException(400, "share must be \"none\", \"totals\" or \"breakdown\"");
            }
        }
        boolean goals = me.shareGoals();
        if (body.has("share_goals")) {
            if (!body.get("share_goals").isBoolean()) {
                throw new HttpException(400, "share_goals must be true or false");
            }
            goals = body.get("share_goals").booleanValue();
        }
        String displayName = null;
        if (body.has("name")) {
            JsonNode n = body.get("name");
            if (!n.isTextual()
                    || n.asText().trim().length() > MAX_NAME
                    || n.asText().chars().anyMatch(Character::isISOControl)) {
                throw new HttpException(
                        400, "name must be at most " + MAX_NAME + " printable characters (empty: your user id)");
            }
            displayName = n.asText().trim();
        }
        if (!teams.setSharing(team, user, share, goals, displayName)) {
            throw notFound();
        }
        return HttpResponses.json(200, memberJson(teams.member(team, user)));
    }

    private static void requireRole(Roster r, String user, Role atLeast) {
        Role mine = r.member(user).role();
        boolean ok = atLeast == Role.OWNER ? mine == Role.OWNER : mine != Role.MEMBER;
        if (!ok) {
            throw new HttpException(
                    403,
                    atLeast == Role.OWNER
                            ? "only the team's owner may do that"
                            : "only the team's owner and admins may do that");
        }
    }

    private static JsonNode object(HttpRequest request) {
        JsonNode body = JsonBody.parse(request.body());
        if (!body.isObject()) {
            throw new HttpException(400, "send a JSON object");
        }
        return body;
    }

    private static String name(JsonNode body) {
        JsonNode n = body.get("name");
        String name = n != null && n.isTextual() ? n.asText().trim() : "";
        if (name.isEmpty() || name.length() > MAX_NAME || name.chars().anyMatch(Character::isISOControl)) {
            throw new HttpException(400, "name must be 1 to " + MAX_NAME + " printable characters");
        }
        return name;
    }

    /** What is stored of an invite code: its SHA-256, so a read of the table yields no usable code. */
    static String hash(String code) {
        try {
            return java.util.HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                            .digest(code.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String randomId(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static ObjectNode teamJson(Roster r, String user, boolean withMembers) {
        if (r == null || r.member(user) == null) {
            throw notFound();
        }
        ObjectNode o = HttpResponses.JSON.createObjectNode();
        o.put("id", r.team().id());
        o.put("name", r.team().name());
        o.put("role", r.member(user).role().wire());
        o.put("created_at", Instant.ofEpochMilli(r.team().createdMs()).toString());
        o.put("member_count", r.members().size());
        o.put("share", r.member(user).share().wire());
        if (withMembers) {
            ArrayNode members = o.putArray("members");
            r.members().forEach(m -> members.add(memberJson(m)));
        }
        return o;
    }

    static ObjectNode memberJson(Member m) {
        if (m == null) {
            throw new HttpException(404, "no such member");
        }
        ObjectNode o = HttpResponses.JSON.createObjectNode();
        o.put("user", m.user());
        o.put("name", m.name());
        o.put("role", m.role().wire());
        o.put("share", m.share().wire());
        o.put("share_goals", m.shareGoals());
        o.put("joined_at", Instant.ofEpochMilli(m.joinedMs()).toString());
        return o;
    }

    /** The members as the view computation takes them. */
    static List<dev.devtime.model.team.TeamView.Member> viewMembers(Roster r) {
        return r.members().stream()
                .map(m -> new dev.devtime.model.team.TeamView.Member(m.user(), m.name(), m.share(), m.shareGoals()))
                .toList();
    }
}
