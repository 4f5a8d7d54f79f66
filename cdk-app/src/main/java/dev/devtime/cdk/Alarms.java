package dev.devtime.cdk;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.budgets.CfnBudget;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.constructs.Construct;

/**
 * Alarms on what needs a person (heartbeats in the dead-letter queue, aggregator errors, API 5xx), mailed
 * with {@code alarmEmail}; and with {@code budgetEmail}, a monthly cost budget.
 */
final class Alarms extends Construct {

    private final DeployConfig config;
    private final Topic topic;

    Alarms(Construct scope, String id, DeployConfig config, Pipeline pipeline, Api api) {
        super(scope, id);
        this.config = config;
        if (config.alarmEmail() != null) {
            topic = Topic.Builder.create(this, "AlarmTopic").enforceSsl(true).build();
            topic.addSubscription(new EmailSubscription(config.alarmEmail()));
        } else {
            topic = null;
        }
        MetricOptions fiveMinutes =
                MetricOptions.builder().period(Duration.minutes(5)).build();
        alarm(
                "DeadLetterQueueNotEmpty",
                "Heartbeat batches reached the dead-letter queue",
                pipeline.deadLetters()
                        .metricApproximateNumberOfMessagesVisible(MetricOptions.builder()
                                .period(Duration.minutes(5))
                                .statistic("Maximum")
                                .build()));
        alarm(
                "AggregatorErrors",
                "The aggregator function failed",
                pipeline.aggregator().getLambda().metricErrors(fiveMinutes));
        alarm("Api5xx", "The HTTP API answered 5xx", api.stage().metricServerError(fiveMinutes));
        budget();
    }

    /**
     * With {@code budgetEmail}: an AWS Budgets cost budget with e-mail notifications (budgets without actions
     * cost nothing). It watches the whole account's monthly cost: a tag-filtered budget would stay at $0
     * until someone activates the cost allocation tag in the Billing console, and so never warn.
     */
    private void budget() {
        if (config.budgetEmail() == null) {
            return;
        }
        List<Object> notifications = new ArrayList<>();
        // Forecast first (a runaway bill is caught mid-month), then the spend itself.
        for (String type : List.of("FORECASTED", "ACTUAL")) {
            notifications.add(CfnBudget.NotificationWithSubscribersProperty.builder()
                    .notification(CfnBudget.NotificationProperty.builder()
                            .notificationType(type)
                            .comparisonOperator("GREATER_THAN")
                            .threshold(100)
                            .thresholdType("PERCENTAGE")
                            .build())
                    .subscribers(List.of(CfnBudget.SubscriberProperty.builder()
                            .subscriptionType("EMAIL")
                            .address(config.budgetEmail())
                            .build()))
                    .build());
        }
        CfnBudget.Builder.create(this, "Budget")
                .budget(CfnBudget.BudgetDataProperty.builder()
                        .budgetName("devtime-" + config.stage() + "-monthly")
                        .budgetType("COST")
                        .timeUnit("MONTHLY")
                        .budgetLimit(CfnBudget.SpendProperty.builder()
                                .amount(config.budgetUsd())
                                .unit("USD")
                                .build())
                        .build())
                .notificationsWithSubscribers(notifications)
                .build();
    }

    private void alarm(String id, String description, Metric metric) {
        Alarm alarm = Alarm.Builder.create(this, id)
                .alarmDescription(description + " (DevTime " + config.stage() + ")")
                .metric(metric)
                .threshold(1)
                .evaluationPeriods(1)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build();
        if (topic != null) {
            alarm.addAlarmAction(new SnsAction(topic));
        }
    }
}
