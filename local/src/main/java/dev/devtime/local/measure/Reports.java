package dev.devtime.local.measure;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/** The benchmark JSON's parts for the realistic day, its cost, and the sustained rate. */
final class Reports {

    static final int WORK_DAYS_PER_MONTH = 22;
    /** Months of data a developer's table holds once raw heartbeats reach the default retention (365 days). */
    static final int MONTHS_KEPT = 12;
    /** The event source mapping's maximum concurrency as deployed: Lambda keeps this many pollers even when idle. */
    static final int AWS_POLLERS = 5;

    static final int LONG_POLL_SECONDS = 20;

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private Reports() {}

    static CostModel.Figures figures(RealisticPhase.Result r) {
        return CostModel.figures(
                r.usage(),
                r.heartbeats(),
                r.storedBytes(),
                r.devs(),
                WORK_DAYS_PER_MONTH,
                MONTHS_KEPT,
                CostModel.Prices.US_EAST_1,
                CostModel.DEPLOYED_MEMORY_MB);
    }

    /** Puts {@code usd_per_million_heartbeats}, {@code usd_per_dev_month} and the {@code cost} object on {@code out}. */
    static void cost(ObjectNode out, RealisticPhase.Result day, List<RealisticPhase.Result> byRequestSize) {
        CostModel.Prices p = CostModel.Prices.US_EAST_1;
        CostModel.Figures f = figures(day);
        out.put(
                "usd_per_million_heartbeats",
                CostModel.round(f.perMillionHeartbeats().total()));
        out.put("usd_per_dev_month", CostModel.round(f.perDevMonth().total()));
        ObjectNode cost = out.putObject("cost");
        cost.set("per_million_heartbeats", f.perMillionHeartbeats().toJson());
        cost.set("per_dev_month", f.perDevMonth().toJson());
        cost.put("heartbeats_per_dev_month", Math.round(f.heartbeatsPerDevMonth()));

        double idleReceives = CostModel.idleReceivesPerMonth(AWS_POLLERS, LONG_POLL_SECONDS);
        double idleUsd = CostModel.price(
                        new CostModel.Usage(0, 0, 0, idleReceives, 0, 0, 0), p, CostModel.DEPLOYED_MEMORY_MB)
                .sqs();
        ObjectNode idle = cost.putObject("idle_per_deployment_month");
        idle.put("sqs_receives", Math.round(idleReceives));
        idle.put("usd", CostModel.round(idleUsd));
        idle.put(
                "why",
                "Lambda's SQS event source long-polls the queue even when it is empty. With maximum concurrency set (the "
                        + "CDK app sets " + AWS_POLLERS + "), Lambda keeps " + AWS_POLLERS
                        + " pollers and does not scale down to 2 (Lambda "
                        + "developer guide, 'Configuring scaling behavior for SQS event source mappings'); a long poll lasts at most "
                        + LONG_POLL_SECONDS + " s, so at least " + Math.round(idleReceives)
                        + " receives a month. Inside the SQS free tier "
                        + "(1M requests a month) when nothing else uses it; list price shown.");
        ObjectNode team = cost.putObject("per_dev_month_with_idle_share");
        team.put("team_size", day.devs());
        team.put("usd", CostModel.round(f.perDevMonth().total() + idleUsd / day.devs()));

        ArrayNode table = cost.putArray("by_heartbeats_per_request");
        for (RealisticPhase.Result r : byRequestSize) {
            CostModel.Figures g = figures(r);
            table.addObject()
                    .put("heartbeats_per_request", r.perRequest())
                    .put("requests", r.requests())
                    .put(
                            "usd_per_million_heartbeats",
                            CostModel.round(g.perMillionHeartbeats().total()))
                    .put("usd_per_dev_month", CostModel.round(g.perDevMonth().total()))
                    .put("write_units_per_heartbeat", round3(r.usage().writeUnits() / r.heartbeats()))
                    .put("lambda_invocations_per_heartbeat", round3(r.usage().lambdaInvocations() / r.heartbeats()));
        }

        ObjectNode prices = cost.putObject("prices_us_east_1");
        prices.put("http_api_per_million_requests", p.apiPerMillionRequests());
        prices.put("lambda_arm64_per_gb_second", p.lambdaPerGbSecond());
        prices.put("lambda_per_million_requests", p.lambdaPerMillionRequests());
        prices.put("sqs_per_million_64kb_requests", p.sqsPerMillionRequests());
        prices.put("dynamodb_per_million_write_units", p.dynamoPerMillionWriteUnits());
        prices.put("dynamodb_per_million_read_units", p.dynamoPerMillionReadUnits());
        prices.put("dynamodb_storage_per_gb_month", p.dynamoStoragePerGbMonth());
        cost.put("lambda_memory_mb", CostModel.DEPLOYED_MEMORY_MB);

        ArrayNode a = cost.putArray("assumptions");
        a.add(day.devs()
                + " developers, each with an editor (wakatime-cli's User-Agent) and Claude Code (DevTime's adapter), "
                + "each tool a heartbeat a minute for 8 hours on " + day.day() + ", " + WORK_DAYS_PER_MONTH
                + " such days a month");
        a.add("requests of " + day.perRequest()
                + " heartbeats: wakatime-cli syncs at most once per heartbeat_rate_limit_seconds "
                + "(default 120; wakatime/wakatime-cli USAGE.md) and sends what it queued in between");
        a.add(
                "after each editor sync the status bar asks GET statusbar/today (DevTime's VS Code extension does, at most once a minute)");
        a.add(
                "Lambda duration: each invocation of the real handler timed in-process on this machine, rounded up to 1 ms, at "
                        + CostModel.DEPLOYED_MEMORY_MB + " MB (cdk-app DeployConfig memoryMb default)");
        a.add("aggregator batches as the deployed mapping would form them at this team's real rate: up to "
                + day.batchSize()
                + " messages (one 5 s batching window of arrivals), the window compressed with simulated time");
        a.add(
                "SQS: sends, receives that returned messages (in 64 KB chunks) and deletes, as counted; the local poller's empty "
                        + "receives are left out and Lambda's idle polling is priced per deployment instead");
        a.add(
                "DynamoDB: units as consumed (DynamoDB Local's ConsumedCapacity); storage = item bytes by DynamoDB's size rules "
                        + "+ 100 bytes per item, read from the table after the day; a developer-month holds "
                        + MONTHS_KEPT
                        + " months of data (raw heartbeats kept 365 days by default), a million heartbeats are priced with one month of storage");
        ArrayNode n = cost.putArray("not_measured_here");
        n.add(
                "Lambda durations on Lambda's CPU share: at 1024 MB a function gets a fraction of a vCPU; here the handlers ran "
                        + "warm on a shared 2-core machine, in one JVM, so AWS durations (and GB-seconds) may well be higher");
        n.add("cold starts (init is billed for SnapStart and measured by the cold-start harness, not here)");
        n.add(
                "CloudWatch Logs ingestion of the functions' logs, data transfer, Cognito, Amplify hosting, dashboard page views");
        n.add(
                "how Lambda's 5 pollers split arrivals into batches: if each poller batches separately, batches are smaller "
                        + "and aggregator invocations more than assumed");
    }

    static ObjectNode realistic(RealisticPhase.Result r) {
        ObjectNode o = F.objectNode();
        o.put("developers", r.devs());
        o.put("day", r.day().toString());
        o.put("heartbeats_per_request", r.perRequest());
        o.put("requests", r.requests());
        o.put("heartbeats", r.heartbeats());
        o.put("rejected", r.rejected());
        o.put("statusbar_requests", r.statusbarMs().size());
        o.put("time_compression", round(r.speed()));
        o.put("aggregator_batch_size", r.batchSize());
        o.put("aggregator_batch_window_ms", r.batchWindow().toMillis());
        o.put("real_seconds", round(r.realSeconds()));
        o.put("ingest_p50_ms", round(Benchmark.percentile(r.postMs(), 50)));
        o.put("ingest_p99_ms", round(Benchmark.percentile(r.postMs(), 99)));
        o.put("statusbar_p99_ms", round(Benchmark.percentile(r.statusbarMs(), 99)));
        o.put("write_units_per_heartbeat", round3(r.usage().writeUnits() / r.heartbeats()));
        o.put("read_units_per_heartbeat", round3(r.usage().readUnits() / r.heartbeats()));
        o.put("sqs_billed_requests_per_1000", round(r.usage().sqsRequests() * 1000 / r.heartbeats()));
        o.put("stored_bytes_per_dev_day", r.storedBytes() / r.devs());
        o.put("stored_items_per_dev_day", round((double) r.storedItems() / r.devs()));
        o.put(
                "queue_message_bytes_mean",
                r.queue().messages() == 0
                        ? 0
                        : r.queue().messageBytes() / r.queue().messages());
        o.set("functions", functions(r.functions()));
        ObjectNode check = o.putObject("stats_check");
        check.put("developers", r.daysChecked());
        check.put("matching_within_1s", r.daysMatching());
        check.put("max_difference_seconds", round3(r.maxDiffSeconds()));
        check.put("expected_seconds_per_developer", round(r.expectedSecondsPerDev()));
        ObjectNode aws = o.putObject("aws_requests");
        r.awsRequests().forEach((k, v) -> {
            if (v != 0) {
                aws.put(k, v);
            }
        });
        return o;
    }

    static ObjectNode sustained(
            SustainedPhase.Result s,
            Map<String, HandlerTimings.Summary> functions,
            Map<String, HandlerTimings.Summary> awsCalls) {
        ObjectNode o = F.objectNode();
        o.put("target_heartbeats_per_s", s.targetPerS());
        o.put("achieved_heartbeats_per_s", round(s.achievedPerS()));
        o.put("seconds", round(s.sendSeconds()));
        o.put("requests", s.requests());
        o.put("failed_requests", s.failedRequests());
        o.put("answered_201_heartbeats", s.accepted());
        o.put("stored_heartbeats", s.stored());
        o.put("lost_heartbeats", s.accepted() - s.stored());
        o.put("ingest_p50_ms", round(Benchmark.percentile(s.latencyMs(), 50)));
        o.put("ingest_p99_ms", round(Benchmark.percentile(s.latencyMs(), 99)));
        o.put("ingest_max_ms", round(Benchmark.percentile(s.latencyMs(), 100)));
        o.put("service_p99_ms", round(Benchmark.percentile(s.serviceMs(), 99)));
        o.put("seconds_until_aggregated", round(s.drainedSeconds()));
        o.put("seconds_aggregating_after_last_request", round(s.drainedSeconds() - s.sendSeconds()));
        o.set("functions", functions(functions));
        // What the handlers wait on: SendMessage is most of ingest's time, and here it is ElasticMQ's.
        o.set("aws_calls", functions(awsCalls));
        return o;
    }

    private static ObjectNode functions(Map<String, HandlerTimings.Summary> functions) {
        ObjectNode o = F.objectNode();
        functions.forEach((name, s) -> o.putObject(name)
                .put("invocations", s.invocations())
                .put("mean_ms", round3(s.meanMs()))
                .put("p50_ms", round3(s.p50Ms()))
                .put("p99_ms", round3(s.p99Ms()))
                .put("max_ms", round3(s.maxMs()))
                .put("billed_ms_per_invocation", round3((double) s.billedMs() / s.invocations())));
        return o;
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    private static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
