package dev.devtime.functions;

import dev.devtime.functions.account.AccountService;
import dev.devtime.functions.account.ExportService;
import dev.devtime.functions.account.ImportService;
import dev.devtime.functions.aggregate.AccountDeletion;
import dev.devtime.functions.aggregate.Aggregator;
import dev.devtime.functions.aggregate.BatchProcessor;
import dev.devtime.functions.auth.Authenticator;
import dev.devtime.functions.auth.JwtVerifier;
import dev.devtime.functions.aws.AwsClients;
import dev.devtime.functions.http.Routes;
import dev.devtime.functions.ingest.IngestService;
import dev.devtime.functions.ingest.RateLimiter;
import dev.devtime.functions.query.GoalsService;
import dev.devtime.functions.query.QueryService;
import dev.devtime.functions.query.RollupReader;
import dev.devtime.functions.query.wakatime.AllTimeEndpoint;
import dev.devtime.functions.query.wakatime.BadgeEndpoint;
import dev.devtime.functions.query.wakatime.CurrentUserEndpoint;
import dev.devtime.functions.query.wakatime.DurationsEndpoint;
import dev.devtime.functions.query.wakatime.FileExpertsEndpoint;
import dev.devtime.functions.query.wakatime.GoalsEndpoint;
import dev.devtime.functions.query.wakatime.HeartbeatsEndpoint;
import dev.devtime.functions.query.wakatime.ProjectsEndpoint;
import dev.devtime.functions.query.wakatime.StatsEndpoint;
import dev.devtime.functions.query.wakatime.StatusBarEndpoint;
import dev.devtime.functions.query.wakatime.SummariesEndpoint;
import dev.devtime.functions.query.wakatime.UserAgentsEndpoint;
import dev.devtime.functions.queue.HeartbeatQueue;
import dev.devtime.functions.store.BucketStore;
import dev.devtime.functions.store.BucketWriter;
import dev.devtime.functions.store.DayStore;
import dev.devtime.functions.store.GoalStore;
import dev.devtime.functions.store.KeyStore;
import dev.devtime.functions.store.MonthStore;
import dev.devtime.functions.store.PublicProfiles;
import dev.devtime.functions.store.SettingsStore;
import dev.devtime.functions.store.Table;
import dev.devtime.functions.store.TeamStore;
import dev.devtime.functions.store.UserDataStore;
import dev.devtime.functions.team.TeamRows;
import dev.devtime.functions.team.TeamService;
import dev.devtime.functions.team.TeamUpkeep;
import dev.devtime.functions.team.TeamViews;
import dev.devtime.model.api.ApiRoutes;
import java.time.Clock;
import java.time.Duration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Builds the services from their parts, once per container: from the environment in Lambda, from the
 * emulators' clients in {@code local} and the tests. No framework: a constructor call per class.
 */
public final class Wiring {

    /**
     * Settings that come from the deployment, with the defaults a fresh install gets.
     *
     * @param rateLimitPerMinute heartbeats a user may send a minute on average (0: no limit); 100 by default
     * @param rateLimitBurst     heartbeats a user may send at once: 1000, a day of offline work flushed in one go
     *                           (wakatime-cli sends its offline queue back to back, 25 per request), and as many
     *                           as one native batch request may hold
     */
    public record Config(
            long rawRetentionDays,
            long maxHeartbeatAgeDays,
            Duration keyCacheTtl,
            long rateLimitPerMinute,
            long rateLimitBurst) {

        public static final long DEFAULT_RATE_LIMIT_PER_MINUTE = 100;
        public static final long DEFAULT_RATE_LIMIT_BURST = 1000;

        public Config(long rawRetentionDays, long maxHeartbeatAgeDays, Duration keyCacheTtl) {
            this(
                    rawRetentionDays,
                    maxHeartbeatAgeDays,
                    keyCacheTtl,
                    DEFAULT_RATE_LIMIT_PER_MINUTE,
                    DEFAULT_RATE_LIMIT_BURST);
        }

        public static Config defaults() {
            return new Config(0, 365, Duration.ofSeconds(60));
        }

        public static Config fromEnvironment() {
            return new Config(
                    envLong("RAW_RETENTION_DAYS", 0),
                    envLong("MAX_HEARTBEAT_AGE_DAYS", 365),
                    Duration.ofSeconds(envLong("KEY_CACHE_SECONDS", 60)),
                    envLong("RATE_LIMIT_PER_MINUTE", DEFAULT_RATE_LIMIT_PER_MINUTE),
                    envLong("RATE_LIMIT_BURST", DEFAULT_RATE_LIMIT_BURST));
        }

        /** The same with another rate limit; {@code perMinute} 0 turns it off (the benchmark). */
        public Config withRateLimit(long perMinute, long burst) {
            return new Config(rawRetentionDays, maxHeartbeatAgeDays, keyCacheTtl, perMinute, burst);
        }

        private static long envLong(String name, long fallback) {
            String v = System.getenv(name);
            return v == null || v.isBlank() ? fallback : Long.parseLong(v.trim());
        }
    }

    public final Table table;
    public final KeyStore keys;
    public final SettingsStore settings;
    public final BucketStore buckets;
    public final BucketWriter bucketWriter;
    public final DayStore days;
    public final MonthStore months;
    public final UserDataStore data;
    public final PublicProfiles profiles;
    public final TeamStore teams;
    public final Authenticator auth;
    public final HeartbeatQueue queue;
    public final Config config;
    public final Clock clock;
    /** One per container, shared by the ingest services built from it: the buckets are the container's state. */
    public final RateLimiter rateLimiter;
    /** Imported heartbeats per user: a request's worth at once, ImportService.IMPORT_PER_MINUTE on average; off with ingest's limit. */
    public final RateLimiter importLimiter;

    public Wiring(
            DynamoDbClient dynamo,
            String tableName,
            SqsClient sqs,
            String queueUrl,
            JwtVerifier jwt,
            Config config,
            Clock clock) {
        this.table = new Table(dynamo, tableName);
        this.keys = new KeyStore(table);
        this.settings = new SettingsStore(table);
        this.buckets = new BucketStore(table);
        this.bucketWriter = new BucketWriter(buckets, config.rawRetentionDays());
        this.days = new DayStore(table);
        this.months = new MonthStore(table);
        this.data = new UserDataStore(table);
        this.profiles = new PublicProfiles(table);
        this.teams = new TeamStore(table);
        this.auth = new Authenticator(keys, jwt, config.keyCacheTtl(), clock);
        this.queue = sqs == null ? null : new HeartbeatQueue(sqs, queueUrl);
        this.config = config;
        this.clock = clock;
        this.rateLimiter = new RateLimiter(config.rateLimitPerMinute(), config.rateLimitBurst(), clock);
        this.importLimiter = new RateLimiter(
                config.rateLimitPerMinute() > 0 ? ImportService.IMPORT_PER_MINUTE : 0,
                ImportService.MAX_HEARTBEATS,
                clock);
    }

    /** What a Lambda container builds on cold start; a function that does not queue has no QUEUE_URL. */
    public static Wiring fromEnvironment() {
        String queueUrl = System.getenv("QUEUE_URL");
        return new Wiring(
                AwsClients.dynamo(),
                required("TABLE_NAME"),
                queueUrl == null || queueUrl.isBlank() ? null : AwsClients.sqs(),
                queueUrl,
                JwtVerifier.fromEnvironment(),
                Config.fromEnvironment(),
                Clock.systemUTC());
    }

    public IngestService ingest() {
        return new IngestService(auth, queue, clock, config.maxHeartbeatAgeDays() * 86_400_000L, buckets, rateLimiter);
    }

    /** The ingest function's endpoints. Plugins keep heartbeats they could not send, so AWS failing answers 503. */
    public Routes ingestRoutes() {
        IngestService ingest = ingest();
        return Routes.of(ApiRoutes.Function.INGEST)
                .on("POST /api/heartbeat", ingest::nativeSingle)
                .on("POST /api/heartbeat/batch", ingest::nativeBatch)
                .on(ApiRoutes.keys("POST", ApiRoutes.userPaths("/heartbeats")), ingest::wakatimeSingle)
                .on(ApiRoutes.keys("POST", ApiRoutes.userPaths("/heartbeats.bulk")), ingest::wakatimeBulk)
                .on(ApiRoutes.keys("POST", ApiRoutes.wakatimePaths("/plugins/errors")), ingest::pluginError)
                .whenUnavailable("heartbeats could not be stored right now; please retry")
                .build();
    }

    public Aggregator aggregator() {
        return new Aggregator(buckets, bucketWriter, days, months, settings, new TeamRows(teams), clock);
    }

    public BatchProcessor batchProcessor() {
        return new BatchProcessor(aggregator(), settings, new AccountDeletion(data, teamUpkeep(), queue, clock));
    }

    /** Copies of users' days in their teams and the public leaderboard: joining, leaving, deletion. */
    public TeamUpkeep teamUpkeep() {
        return new TeamUpkeep(teams, days, data, settings, aggregator(), queue, clock);
    }

    public AccountService account() {
        return new AccountService(
                auth,
                keys,
                settings,
                data,
                profiles,
                queue,
                clock,
                new ExportService(data),
                new ImportService(queue, clock, importLimiter),
                teamUpkeep());
    }

    /** The account function's endpoints: the dashboard's account routes. */
    public Routes accountRoutes() {
        AccountService account = account();
        TeamService teams = new TeamService(auth, this.teams, teamUpkeep(), queue, clock);
        return Routes.of(ApiRoutes.Function.ACCOUNT)
                .on("GET /api/me", account::me)
                .on("POST /api/auth/token", account::createKey)
                .on("GET /api/keys", account::listKeys)
                .on("PATCH /api/keys/{id}", account::relabel)
                .on("DELETE /api/keys/{id}", account::revoke)
                .on("GET /api/settings", account::getSettings)
                .on("PUT /api/settings", account::putSettings)
                .on("DELETE /api/account", account::deleteAccount)
                .on("GET /api/export", account::export)
                .on("POST /api/import", account::importHeartbeats)
                .on("GET /api/teams", teams::list)
                .on("POST /api/teams", teams::create)
                .on("POST /api/teams/join", teams::join)
                .on("GET /api/teams/{team}", teams::get)
                .on("PATCH /api/teams/{team}", teams::rename)
                .on("DELETE /api/teams/{team}", teams::delete)
                .on("POST /api/teams/{team}/invites", teams::invite)
                .on("POST /api/teams/{team}/owner", teams::transfer)
                .on("PUT /api/teams/{team}/sharing", teams::sharing)
                .on("PATCH /api/teams/{team}/members/{user}", teams::setRole)
                .on("DELETE /api/teams/{team}/members/{user}", teams::removeMember)
                .build();
    }

    /** Days as readers see them: stored rollups, open days computed from the raw buckets. */
    public RollupReader rollups() {
        return new RollupReader(days, months, buckets, settings, aggregator(), clock);
    }

    /** The query function's endpoints: DevTime's reads, goals, WakaTime's read API and the badges. */
    public Routes queryRoutes() {
        RollupReader rollups = rollups();
        QueryService query = new QueryService(auth, rollups, clock);
        GoalsService goals = new GoalsService(auth, new GoalStore(table), rollups, clock);
        HeartbeatsEndpoint heartbeats = new HeartbeatsEndpoint(auth, settings, buckets, bucketWriter, aggregator());
        GoalsEndpoint wakatimeGoals = new GoalsEndpoint(auth, goals);
        BadgeEndpoint badges = new BadgeEndpoint(settings, rollups, profiles, clock);
        StatsEndpoint stats = new StatsEndpoint(auth, settings, rollups, profiles, clock);
        TeamViews teamViews = new TeamViews(auth, teams, settings, goals, clock);
        return Routes.of(ApiRoutes.Function.QUERY)
                .on("GET /api/health", query::health)
                .on("GET /api/stats", query::stats)
                .on("GET /api/sessions", query::sessions)
                .on("GET /api/goals", goals::dashboardList)
                .on("POST /api/goals", goals::dashboardCreate)
                .on("PUT /api/goals/{id}", goals::dashboardEdit)
                .on("DELETE /api/goals/{id}", goals::dashboardDelete)
                .on(ApiRoutes.keys("GET", ApiRoutes.userPaths("")), new CurrentUserEndpoint(auth, settings))
                .on(
                        ApiRoutes.keys("GET", ApiRoutes.userPaths("/summaries")),
                        new SummariesEndpoint(auth, settings, rollups, buckets, clock))
                .on(ApiRoutes.keys("GET", ApiRoutes.userPaths("/stats")), stats)
                .on(ApiRoutes.keys("GET", ApiRoutes.userPaths("/stats/{range}")), stats)
                .on(
                        ApiRoutes.keys("GET", ApiRoutes.userPaths("/durations")),
                        new DurationsEndpoint(auth, settings, buckets))
                .on(
                        ApiRoutes.keys("GET", ApiRoutes.userPaths("/all_time_since_today")),
                        new AllTimeEndpoint(auth, settings, rollups, clock))
                .on(ApiRoutes.keys("GET", ApiRoutes.userPaths("/heartbeats")), heartbeats::list)
                .on(ApiRoutes.keys("DELETE", ApiRoutes.userPaths("/heartbeats.bulk")), heartbeats::delete)
                .on(
                        ApiRoutes.keys("GET", ApiRoutes.userPaths("/projects")),
                        new ProjectsEndpoint(auth, settings, rollups, clock))
                .on(
                        ApiRoutes.keys("GET", ApiRoutes.userPaths("/user_agents")),
                        new UserAgentsEndpoint(auth, settings, rollups, clock))
                .on(
                        ApiRoutes.keys("GET", ApiRoutes.userPaths("/statusbar/today")),
                        new StatusBarEndpoint(auth, rollups, clock))
                .on(ApiRoutes.keys("GET", ApiRoutes.userPaths("/goals")), wakatimeGoals::list)
                .on(ApiRoutes.keys("GET", ApiRoutes.userPaths("/goals/{id}")), wakatimeGoals::one)
                .on(
                        ApiRoutes.keys("POST", ApiRoutes.userPaths("/file_experts")),
                        new FileExpertsEndpoint(auth, settings, buckets, clock))
                .on("GET /api/badge/{user}", badges::json)
                .on("GET /api/badge/{user}/svg", badges::svg)
                .on("GET /api/teams/{team}/stats", teamViews::stats)
                .on("GET /api/teams/{team}/leaderboard", teamViews::teamBoard)
                .on(ApiRoutes.keys("GET", ApiRoutes.wakatimePaths("/leaders")), teamViews::publicBoard)
                .on(ApiRoutes.keys("GET", ApiRoutes.wakatimePaths("/users/current/leaderboards")), teamViews::boards)
                .on(
                        ApiRoutes.keys("GET", ApiRoutes.wakatimePaths("/users/current/leaderboards/{board}")),
                        teamViews::board)
                .build();
    }

    /** An environment variable the function cannot run without. */
    public static String required(String name) {
        String v = System.getenv(name);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException("environment variable " + name + " is not set");
        }
        return v;
    }
}
