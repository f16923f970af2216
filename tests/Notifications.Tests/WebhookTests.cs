using Egov.Steering.Notifications.Data;
using Egov.Steering.Notifications.Feed;
using Egov.Steering.Notifications.V1;
using Egov.Steering.TestSupport;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Egov.Steering.Notifications.Tests;

public sealed class WebhookTests
{
    private static readonly Dictionary<string, string?> FastRetries = new()
    {
        ["Notifications:Webhooks:InitialBackoff"] = "00:00:00.050",
        ["Notifications:Webhooks:MaxBackoff"] = "00:00:00.200",
        // Long enough that a loaded machine's answer is not mistaken for a timeout, short enough that the lease a
        // restart waits out (2 x timeout + 5 s) stays short; the test of timeouts shortens it.
        ["Notifications:Webhooks:Timeout"] = "00:00:02",
    };

    [Fact]
    public async Task Deliveries_are_signed_and_retried_after_500s_and_timeouts()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer = (_, attempt) => attempt switch { 1 => 500, 2 => WebhookReceiver.Hang, _ => 200 };
        await using var host = await NotificationsHost.StartAsync(await NotificationsHost.NewSetupAsync(With(("Notifications:Webhooks:MaxAttempts", "5"), ("Notifications:Webhooks:Timeout", "00:00:00.500"))));
        var committee = new TestCommittee();
        var subscription = await SubscribeAsync(host, receiver, committee);

        var sent = committee.Next(3);
        await host.SendAsync(sent);
        await Eventually.WaitUntilAsync(() => Task.FromResult(receiver.Accepted.Count == 3), "three events accepted");

        Assert.Equal(0, receiver.BadSignatures);
        Assert.All(sent, e => Assert.Equal(3, receiver.AttemptsOf(e.Id)));
        Assert.All(receiver.Accepted.Values, e => Assert.True(e.Position > 0));
        await Eventually.WaitUntilAsync(
            async () => (await ListDeliveriesAsync(host, subscription)).All(d => d.State == WebhookDeliveryState.Succeeded),
            "the deliveries recorded as succeeded");
        var deliveries = await ListDeliveriesAsync(host, subscription);
        Assert.Equal(sent.Select(e => e.Id).Reverse(), deliveries.Select(d => d.EventId));
        Assert.All(deliveries, d => Assert.Equal(3, d.AttemptCount));
    }

    [Fact]
    public async Task Nothing_is_lost_across_a_restart_of_the_service()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer = (_, _) => 503; // the dashboard is down for now
        var setup = await NotificationsHost.NewSetupAsync(With(("Notifications:Webhooks:MaxAttempts", "1000")));
        var committee = new TestCommittee();
        var events = committee.Next(10);
        var host = await NotificationsHost.StartAsync(setup);
        await using (host)
        {
            await SubscribeAsync(host, receiver, committee);
            await host.SendAsync(events);
            await Eventually.WaitUntilAsync(() => Task.FromResult(events.All(e => receiver.AttemptsOf(e.Id) > 0)), "first attempts made");

            // The service goes away with every delivery pending, and a new instance takes over its database.
            await host.StopAsync();
            receiver.Answer = (_, _) => 200;
            await using var restarted = await NotificationsHost.StartAsync(setup);
            await Eventually.WaitUntilAsync(() => Task.FromResult(receiver.Accepted.Count == 10), "all ten events delivered after the restart");
        }

        Assert.Equal(events.Select(e => e.Id).Order(), receiver.Accepted.Keys.Order());
    }

    [Fact]
    public async Task A_failed_delivery_is_kept_for_an_admin_retry_while_later_events_still_arrive()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var committee = new TestCommittee();
        var poisoned = committee.Next();
        var healthy = true;
        receiver.Answer = (id, _) => id == poisoned.Id && !healthy ? 500 : 200;
        healthy = false;
        await using var host = await NotificationsHost.StartAsync(await NotificationsHost.NewSetupAsync(With(("Notifications:Webhooks:MaxAttempts", "2"))));
        var subscription = await SubscribeAsync(host, receiver, committee);

        await host.SendAsync(poisoned);
        await Eventually.WaitUntilAsync(
            async () => (await ListDeliveriesAsync(host, subscription)).Any(d => d.State == WebhookDeliveryState.Failed), "the delivery given up");
        var later = committee.Next();
        await host.SendAsync(later);
        await Eventually.WaitUntilAsync(() => Task.FromResult(receiver.Accepted.ContainsKey(later.Id)), "the later event delivered");

        var failed = (await ListDeliveriesAsync(host, subscription, WebhookDeliveryState.Failed)).Single();
        Assert.Equal(poisoned.Id, failed.EventId);
        Assert.Equal(2, failed.AttemptCount);
        Assert.Equal(500, failed.LastHttpStatus);
        var denied = await Assert.ThrowsAsync<RpcException>(() =>
            host.Client.RetryDeliveryAsync(new RetryDeliveryRequest { Name = failed.Name }, NotificationsHost.WriteToken).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);

        healthy = true;
        await host.Client.RetryDeliveryAsync(new RetryDeliveryRequest { Name = failed.Name }, NotificationsHost.AdminToken);
        await Eventually.WaitUntilAsync(() => Task.FromResult(receiver.Accepted.ContainsKey(poisoned.Id)), "the retried delivery accepted");
    }

    [Fact]
    public async Task Failed_deliveries_move_the_etag_only_when_they_suspend_the_subscription()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer = (_, _) => 500;
        await using var host = await NotificationsHost.StartAsync(await NotificationsHost.NewSetupAsync(With(
            ("Notifications:Webhooks:MaxAttempts", "1"), ("Notifications:Webhooks:SuspendAfterFailedDeliveries", "2"))));
        var committee = new TestCommittee();
        var subscription = await SubscribeAsync(host, receiver, committee);

        await host.SendAsync(committee.Next());
        await Eventually.WaitUntilAsync(async () => (await ListDeliveriesAsync(host, subscription, WebhookDeliveryState.Failed)).Count == 1, "one delivery failed");
        Assert.Equal(subscription.Etag, (await GetAsync(host, subscription)).Etag); // a failure count does not show

        await host.SendAsync(committee.Next());
        await Eventually.WaitUntilAsync(async () => (await GetAsync(host, subscription)).State == WebhookSubscriptionState.Suspended, "the subscription suspended");
        var suspended = await GetAsync(host, subscription);
        Assert.NotEqual(subscription.Etag, suspended.Etag);
        Assert.Contains("2 consecutive deliveries failed", suspended.StateReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_subscription_gets_every_event_after_its_creation_and_none_before_even_when_created_during_a_dispatch()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var host = await NotificationsHost.StartAsync(await NotificationsHost.NewSetupAsync(FastRetries));
        var committee = new TestCommittee();
        var before = committee.Next(2);
        await host.SendAsync(before);
        await Eventually.WaitUntilAsync(
            async () => (await host.Client.ListEventsAsync(new ListEventsRequest { Filter = Streams.OnlyCommittee(committee.Name) }, NotificationsHost.ReadToken)).Events.Count == 2,
            "the first events logged");

        // A dispatch in progress: it holds the webhook cursor from reading the subscriptions until it has moved it.
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
        await using var dispatch = await db.Database.BeginTransactionAsync();
        await FeedCursorLock.LockAsync(db, FeedCursor.Webhooks, DateTime.UtcNow, default);
        var creating = SubscribeAsync(host, receiver, committee);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.False(creating.IsCompleted, "a subscription is created only once the dispatch in progress has moved the cursor");
        await FeedCursorLock.MoveAsync(db, FeedCursor.Webhooks, await EventLog.LastPositionAsync(db, default), DateTime.UtcNow, default);
        await dispatch.CommitAsync();
        await creating;

        var after = committee.Next(3);
        await host.SendAsync(after);
        await Eventually.WaitUntilAsync(() => Task.FromResult(receiver.Accepted.Count == 3), "the later events delivered");
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(after.Select(e => e.Id).Order(), receiver.Accepted.Keys.Order());
    }

    [Fact]
    public async Task Without_subscriptions_the_webhook_cursor_stays_and_the_first_subscription_starts_it_at_the_logs_end()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var host = await NotificationsHost.StartAsync(await NotificationsHost.NewSetupAsync(FastRetries));
        var committee = new TestCommittee();
        await host.SendAsync(committee.Next(3));
        await Eventually.WaitUntilAsync(
            async () => (await host.Client.ListEventsAsync(new ListEventsRequest { Filter = Streams.OnlyCommittee(committee.Name) }, NotificationsHost.ReadToken)).Events.Count == 3,
            "the first events logged");
        await Task.Delay(TimeSpan.FromSeconds(1)); // the dispatcher's wake-ups for them are over

        // Each wake-up with nobody subscribed is one read of the subscriptions: no lock, no cursor write.
        Assert.Equal(0, await WebhookCursorAsync(host));
        await SubscribeAsync(host, receiver, committee);
        Assert.Equal(await LogEndAsync(host), await WebhookCursorAsync(host));

        var after = committee.Next(2);
        await host.SendAsync(after);
        await Eventually.WaitUntilAsync(() => Task.FromResult(receiver.Accepted.Count == 2), "the later events delivered");
        Assert.Equal(after.Select(e => e.Id).Order(), receiver.Accepted.Keys.Order());
    }

    [Fact]
    public async Task A_subscription_whose_cursor_row_is_gone_is_served_after_a_restart_from_its_own_start()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var setup = await NotificationsHost.NewSetupAsync(FastRetries);
        var committee = new TestCommittee();
        await using (var host = await NotificationsHost.StartAsync(setup))
        {
            await host.SendAsync(committee.Next());
            await Eventually.WaitUntilAsync(async () => await LogEndAsync(host) == 1, "an event logged before the subscription");
            await SubscribeAsync(host, receiver, committee);
            await host.StopAsync();

            // As a database restored without the webhook cursor's row.
            await using var scope = host.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<NotificationsDbContext>().FeedCursors.Where(c => c.Name == FeedCursor.Webhooks).ExecuteDeleteAsync();
        }

        await using var restarted = await NotificationsHost.StartAsync(setup);
        var after = committee.Next();
        await restarted.SendAsync(after);
        await Eventually.WaitUntilAsync(() => Task.FromResult(receiver.Accepted.ContainsKey(after.Id)), "the event after the subscription delivered");
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal([after.Id], receiver.Accepted.Keys);
    }

    private static async Task<long> WebhookCursorAsync(NotificationsHost host)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
        return await db.FeedCursors.Where(c => c.Name == FeedCursor.Webhooks).Select(c => c.Position).FirstOrDefaultAsync();
    }

    private static async Task<long> LogEndAsync(NotificationsHost host)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await EventLog.LastPositionAsync(scope.ServiceProvider.GetRequiredService<NotificationsDbContext>(), default);
    }

    [Fact]
    public async Task A_subscription_needs_https_and_a_long_enough_secret()
    {
        await using var host = await NotificationsHost.StartAsync(await NotificationsHost.NewSetupAsync());
        var error = await Assert.ThrowsAsync<RpcException>(() => host.Client.CreateWebhookSubscriptionAsync(
            new CreateWebhookSubscriptionRequest { WebhookSubscription = new WebhookSubscription { Uri = "http://dashboard.example.vn/hook", Secret = "short" } },
            NotificationsHost.WriteToken).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("uri", error.Status.Detail + string.Join(",", error.Trailers.Select(t => t.Key)), StringComparison.Ordinal);

        var generated = await host.Client.CreateWebhookSubscriptionAsync(
            new CreateWebhookSubscriptionRequest { WebhookSubscription = new WebhookSubscription { Uri = "https://dashboard.example.vn/hook" } },
            NotificationsHost.WriteToken);
        Assert.True(generated.Secret.Length >= 32);
        var read = await host.Client.GetWebhookSubscriptionAsync(new GetWebhookSubscriptionRequest { Name = generated.Name }, NotificationsHost.ReadToken);
        Assert.Empty(read.Secret);
        Assert.Equal("national", read.OwnerOrganisation);
    }

    [Theory]
    [InlineData(" https://dashboard.example.vn/hook")]
    [InlineData("https://dashboard.example.vn/hook ")]
    [InlineData("https://dashboard.example.vn/steering events")]
    [InlineData("https://dashboard.example.vn/hook\t")]
    public async Task A_url_with_whitespace_is_invalid_in_every_environment(string uri)
    {
        // Development, where the address checks are relaxed: the URL's syntax is not.
        await using var host = await NotificationsHost.StartAsync(await NotificationsHost.NewSetupAsync());
        var error = await Assert.ThrowsAsync<RpcException>(() => host.Client.CreateWebhookSubscriptionAsync(
            new CreateWebhookSubscriptionRequest { WebhookSubscription = new WebhookSubscription { Uri = uri } }, NotificationsHost.WriteToken).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        var violation = Assert.Single(error.GetRpcStatus()!.GetDetail<Google.Rpc.BadRequest>().FieldViolations);
        Assert.Equal("webhook_subscription.uri", violation.Field);
        Assert.Empty((await host.Client.ListWebhookSubscriptionsAsync(new ListWebhookSubscriptionsRequest(), NotificationsHost.ReadToken)).WebhookSubscriptions);
    }

    [Fact]
    public async Task With_no_subscription_an_append_asks_for_none_and_one_created_here_is_served_from_the_next_event()
    {
        // No poll (nor metrics sample) in the test's time: the dispatcher runs only when an append wakes it.
        var looks = new MatchingCommands(text => text.Contains("FROM webhook_subscriptions", StringComparison.Ordinal) && text.Contains("EXISTS", StringComparison.Ordinal));
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var host = await NotificationsHost.StartAsync(
            await NotificationsHost.NewSetupAsync(With(("Notifications:Feed:PollInterval", "00:10:00"), ("Notifications:Feed:MetricsInterval", "00:10:00"))),
            services: services => services.AddSingleton<IInterceptor>(looks));
        var committee = new TestCommittee();
        await host.SendAsync(committee.Next());
        await Eventually.WaitUntilAsync(async () => await LogEndAsync(host) == 1, "the first event logged");
        await looks.SettledAsync();
        var looked = looks.Count; // at start-up

        for (var logged = 2; logged <= 4; logged++)
        {
            await host.SendAsync(committee.Next());
            await Eventually.WaitUntilAsync(async () => await LogEndAsync(host) == logged, $"event {logged} logged");
        }

        await looks.SettledAsync();
        Assert.Equal(looked, looks.Count); // "none" holds for the poll interval

        await SubscribeAsync(host, receiver, committee);
        var next = committee.Next();
        await host.SendAsync(next);
        await Eventually.WaitUntilAsync(() => Task.FromResult(receiver.Accepted.ContainsKey(next.Id)), "the next event delivered");
    }

    private static Dictionary<string, string?> With(params (string Key, string Value)[] settings)
    {
        var all = new Dictionary<string, string?>(FastRetries);
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        return all;
    }

    private static async Task<WebhookSubscription> SubscribeAsync(NotificationsHost host, WebhookReceiver receiver, TestCommittee committee) =>
        await host.Client.CreateWebhookSubscriptionAsync(
            new CreateWebhookSubscriptionRequest
            {
                WebhookSubscription = new WebhookSubscription
                {
                    Uri = receiver.Uri,
                    Secret = receiver.Secret,
                    Filter = Streams.OnlyCommittee(committee.Name),
                },
                RequestId = Guid.NewGuid().ToString(),
            },
            NotificationsHost.WriteToken);

    private static async Task<WebhookSubscription> GetAsync(NotificationsHost host, WebhookSubscription subscription) =>
        await host.Client.GetWebhookSubscriptionAsync(new GetWebhookSubscriptionRequest { Name = subscription.Name }, NotificationsHost.ReadToken);

    private static async Task<List<WebhookDelivery>> ListDeliveriesAsync(
        NotificationsHost host, WebhookSubscription subscription, params WebhookDeliveryState[] states) =>
        [.. (await host.Client.ListDeliveriesAsync(
            new ListDeliveriesRequest { Parent = subscription.Name, PageSize = 500, States = { states } }, NotificationsHost.ReadToken)).Deliveries];
}
