using Egov.Steering.Integration.Tests.Support;
using Egov.Steering.Membership.V1;
using Egov.Steering.Notifications.V1;
using Egov.Steering.TestSupport;
using Grpc.Core;
using static Egov.Steering.Integration.Tests.Support.GiaLai;

namespace Egov.Steering.Integration.Tests.Telemetry;

/// <summary>
/// The metrics the root README lists for operators, scraped from each service's real /metrics endpoint (its HTTP port)
/// while a decision goes through the system: each exists and moves with what it measures.
/// </summary>
public sealed class OperatorMetricsTests(SuiteBroker broker) : SystemTests(broker)
{
    [Fact]
    public async Task The_operators_metrics_are_exported_and_move_with_a_decision()
    {
        var notifications = Services.NotificationsClient(Province);
        await using var hook = await WebhookRecorder.SubscribeAsync(notifications);
        var before = await Metrics.ScrapeAsync(Services.Membership);
        var refusedBefore = before.Value("steering_rpc_refused_total", "code=\"Unauthenticated\"", "reason=\"TOKEN_MISSING\"") ?? 0;
        var appliedBefore = before.Value("steering_decisions_outcomes_total", "outcome=\"applied\"") ?? 0;

        var anonymous = new MembershipService.MembershipServiceClient(Services.Membership.Channel(bearerToken: null));
        var refused = await Assert.ThrowsAsync<RpcException>(() => anonymous.GetCommitteeViewAsync(new GetCommitteeViewRequest { Committee = GiaLai.Committee }).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);

        using var watch = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using var stream = notifications.WatchEvents(new WatchEventsRequest(), cancellationToken: watch.Token);
        Assert.True(await stream.ResponseStream.MoveNext(watch.Token));

        var vo = await Gialai.PersonAsync("Võ Ngọc Thành");
        var founding = await Gialai.ApplyAsync(Founding(vo));
        await Gialai.MembersAsync();
        await Gialai.MembersAsync();

        // The outcome is counted once its transaction commits, which Decisions may learn of (through the outbox) first.
        var membership = await Metrics.ScrapeAsync(Services.Membership);
        await Eventually.WaitUntilAsync(
            async () => (membership = await Metrics.ScrapeAsync(Services.Membership)).Value("steering_decisions_outcomes_total", "outcome=\"applied\"") is not null,
            $"the outcome of {founding.Name} counted");
        Assert.Equal(refusedBefore + 1, membership.Value("steering_rpc_refused_total", "code=\"Unauthenticated\"", "reason=\"TOKEN_MISSING\""));
        Assert.Equal(appliedBefore + 1, membership.Value("steering_decisions_outcomes_total", "outcome=\"applied\""));
        Assert.True(membership.Value("steering_views_lookups_total", "result=\"miss\"") >= 1);
        Assert.True(membership.Value("steering_views_lookups_total") >= 2);
        Assert.True(membership.Value("steering_inbox_handled_total") >= 1);

        await Eventually.WaitUntilAsync(
            async () =>
            {
                var decisions = await Metrics.ScrapeAsync(Services.Decisions);
                var feed = await Metrics.ScrapeAsync(Services.Notifications);
                return decisions.Value("steering_outbox_published_total") >= 1
                    && decisions.Value("steering_outbox_publish_latency_milliseconds_count") >= 1
                    && decisions.Value("steering_outbox_oldest_pending_age_seconds") is not null
                    && feed.Value("steering_feed_active_streams") >= 1
                    && feed.Value("steering_feed_head_position") >= 5
                    && feed.Value("steering_feed_cursor_lag", "cursor=\"public-exchange\"") == 0
                    && feed.Value("steering_feed_cursor_lag", "cursor=\"webhooks\"") == 0
                    && feed.Value("steering_webhook_deliveries_total", "outcome=\"succeeded\"") >= 5
                    && feed.Value("steering_webhook_pending_deliveries") == 0;
            },
            $"the outbox, feed and webhook metrics after {founding.Name}");
    }
}
