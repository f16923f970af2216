using Egov.Steering.Access;
using Egov.Steering.Notifications.Data;
using Egov.Steering.Notifications.UseCases;
using Egov.Steering.Notifications.V1;
using Egov.Steering.ServiceDefaults.Auth;
using Egov.Steering.ServiceDefaults.Errors;

namespace Egov.Steering.Notifications.Tests.UseCases;

public sealed class WebhookDeliveriesTests
{
    private static readonly Caller Clerk = new("clerk", "province-2020-64", [SteeringScopes.Write]);

    [Fact]
    public async Task The_list_is_newest_first_in_the_asked_states_and_pages()
    {
        await using var database = await WebhookTestDatabase.CreateAsync();
        var subscription = await WebhookSubscriptionsTests.CreateAsync(database, Clerk);
        var failed = await AddDeliveryAsync(database, subscription.Id, WebhookDeliveryState.Failed);
        await AddDeliveryAsync(database, subscription.Id, WebhookDeliveryState.Succeeded);
        var failedLater = await AddDeliveryAsync(database, subscription.Id, WebhookDeliveryState.Failed);

        var first = await UseCases(database).ListAsync(subscription.Id, [WebhookDeliveryState.Failed], 1, null, default);
        var second = await UseCases(database).ListAsync(subscription.Id, [WebhookDeliveryState.Failed], 1, first.Items[^1].Id, default);

        Assert.Equal([failedLater.Id, failed.Id], first.Items.Concat(second.Items).Select(d => d.Id));
        Assert.True(first.HasMore);
        Assert.False(second.HasMore);
        Assert.Equal(3, (await UseCases(database).ListAsync(subscription.Id, [], 10, null, default)).Items.Count);
    }

    [Fact]
    public async Task Only_a_failed_delivery_is_retried_and_then_is_due_now_with_its_attempts_counted_afresh()
    {
        await using var database = await WebhookTestDatabase.CreateAsync();
        var subscription = await WebhookSubscriptionsTests.CreateAsync(database, Clerk);
        var failed = await AddDeliveryAsync(database, subscription.Id, WebhookDeliveryState.Failed);
        var succeeded = await AddDeliveryAsync(database, subscription.Id, WebhookDeliveryState.Succeeded);

        var retried = await UseCases(database).RetryAsync(subscription.Id, failed.Id, "name", default);

        Assert.Equal(((int)WebhookDeliveryState.Pending, 0, null), (retried.State, retried.AttemptCount, retried.CompletedAt));
        var refused = await Assert.ThrowsAsync<PreconditionFailedException>(() => UseCases(database).RetryAsync(subscription.Id, succeeded.Id, "name", default));
        Assert.Equal("DELIVERY_NOT_FAILED", refused.Reason);
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => UseCases(database).RetryAsync("other", failed.Id, "name", default));
    }

    internal static async Task<WebhookDeliveryRecord> AddDeliveryAsync(WebhookTestDatabase database, string subscriptionId, WebhookDeliveryState state)
    {
        await using var db = database.NewContext();
        var delivery = new WebhookDeliveryRecord
        {
            SubscriptionId = subscriptionId,
            EventPosition = db.WebhookDeliveries.Count() + 1,
            EventId = Guid.NewGuid().ToString(),
            EventType = "egov.steering.events.v1.MembershipStarted",
            State = (int)state,
            AttemptCount = 8,
            CompletedAt = state == WebhookDeliveryState.Pending ? null : DateTime.UtcNow,
        };
        db.WebhookDeliveries.Add(delivery);
        await db.SaveChangesAsync();
        return delivery;
    }

    private static WebhookDeliveries UseCases(WebhookTestDatabase database) =>
        new(database.NewContext(), WebhookSubscriptionsTests.UseCases(database, Clerk), TimeProvider.System);
}
