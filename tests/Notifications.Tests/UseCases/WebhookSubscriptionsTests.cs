using Egov.Steering.Access;
using Egov.Steering.Notifications.Data;
using Egov.Steering.Notifications.UseCases;
using Egov.Steering.Notifications.V1;
using Egov.Steering.Notifications.Webhooks;
using Egov.Steering.ReferenceData;
using Egov.Steering.ServiceDefaults.Auth;
using Egov.Steering.ServiceDefaults.Errors;
using Microsoft.EntityFrameworkCore;

namespace Egov.Steering.Notifications.Tests.UseCases;

public sealed class WebhookSubscriptionsTests
{
    private const string GiaLai = "province-2020-64";
    private static readonly Caller Clerk = new("clerk", GiaLai, [SteeringScopes.Write]);
    private static readonly Caller OtherProvince = new("other", "province-2020-95", [SteeringScopes.Write]);
    private static readonly Caller Admin = new("admin", Organisations.National, [SteeringScopes.Admin]);
    private static readonly string Secret = new('s', WebhookSubscriptions.MinSecretBytes);

    [Fact]
    public async Task A_new_subscription_is_active_owned_by_the_callers_organisation_at_the_first_etag_with_a_generated_secret()
    {
        await using var database = await WebhookTestDatabase.CreateAsync();

        var created = await UseCases(database, Clerk).CreateAsync(new WebhookSubscription { Uri = "https://example.org/hook" }, default);

        Assert.Equal((GiaLai, (int)WebhookSubscriptionState.Active, 1L), (created.OwnerOrganisation, created.State, created.Revision));
        Assert.Equal("\"1\"", created.ToProto().Etag);
        Assert.Equal(44, created.Secret.Length); // 32 random bytes in base64
        Assert.Equal(Secret, (await CreateAsync(database, Clerk)).Secret);
    }

    [Fact]
    public async Task An_update_changes_only_the_masked_fields_and_the_etag()
    {
        await using var database = await WebhookTestDatabase.CreateAsync();
        var created = await CreateAsync(database, Clerk);

        var updated = await UseCases(database, Clerk).UpdateAsync(
            created.Id, "\"1\"", new WebhookSubscription { Uri = "https://example.org/moved", Secret = "ignored" }, ["uri"], paused: false, default);

        Assert.Equal(("https://example.org/moved", Secret, 2L), (updated.Uri, updated.Secret, updated.Revision));
        Assert.Equal("\"2\"", updated.ToProto().Etag);
    }

    [Fact]
    public async Task An_update_or_delete_with_a_stale_etag_is_refused_and_changes_nothing()
    {
        await using var database = await WebhookTestDatabase.CreateAsync();
        var created = await CreateAsync(database, Clerk);
        await UseCases(database, Clerk).UpdateAsync(created.Id, string.Empty, new WebhookSubscription(), ["paused"], paused: true, default);

        await Assert.ThrowsAsync<StaleEtagException>(() => UseCases(database, Clerk).UpdateAsync(
            created.Id, "\"1\"", new WebhookSubscription { Uri = "https://example.org/moved" }, ["uri"], paused: false, default));
        await Assert.ThrowsAsync<StaleEtagException>(() => UseCases(database, Clerk).DeleteAsync(created.Id, "\"1\"", default));

        var stored = await UseCases(database, Clerk).GetAsync(created.Id, default);
        Assert.Equal(("https://example.org/hook", 2L, (int)WebhookSubscriptionState.Paused), (stored.Uri, stored.Revision, stored.State));
    }

    [Fact]
    public async Task Resuming_a_subscription_clears_its_failures()
    {
        await using var database = await WebhookTestDatabase.CreateAsync();
        var created = await CreateAsync(database, Clerk);
        await using (var db = database.NewContext())
        {
            await db.WebhookSubscriptions.ExecuteUpdateAsync(s => s
                .SetProperty(x => x.State, (int)WebhookSubscriptionState.Suspended)
                .SetProperty(x => x.StateReason, "8 consecutive deliveries failed")
                .SetProperty(x => x.ConsecutiveFailedDeliveries, 8));
        }

        var resumed = await UseCases(database, Clerk).UpdateAsync(created.Id, "\"1\"", new WebhookSubscription(), ["paused"], paused: false, default);

        Assert.Equal(((int)WebhookSubscriptionState.Active, string.Empty, 0), (resumed.State, resumed.StateReason, resumed.ConsecutiveFailedDeliveries));
    }

    [Fact]
    public async Task Another_organisations_subscription_is_refused_but_an_admin_reaches_it()
    {
        await using var database = await WebhookTestDatabase.CreateAsync();
        var created = await CreateAsync(database, Clerk);

        var refused = await Assert.ThrowsAsync<PermissionDeniedException>(() => UseCases(database, OtherProvince).GetAsync(created.Id, default));
        Assert.Contains("belongs to another organisation", refused.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<PermissionDeniedException>(() => UseCases(database, OtherProvince).DeleteAsync(created.Id, string.Empty, default));
        Assert.Empty((await UseCases(database, OtherProvince).ListAsync(10, null, default)).Items);

        Assert.Equal(created.Id, (await UseCases(database, Admin).GetAsync(created.Id, default)).Id);
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => UseCases(database, Admin).GetAsync("missing", default));
    }

    [Fact]
    public async Task The_list_pages_in_creation_order()
    {
        await using var database = await WebhookTestDatabase.CreateAsync();
        var created = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            created.Add((await CreateAsync(database, Clerk)).Id);
        }

        var first = await UseCases(database, Clerk).ListAsync(2, null, default);
        var second = await UseCases(database, Clerk).ListAsync(2, first.Items[^1].Id, default);

        Assert.True(first.HasMore);
        Assert.False(second.HasMore);
        Assert.Equal(created, first.Items.Concat(second.Items).Select(s => s.Id));
    }

    [Fact]
    public async Task Deleting_a_subscription_deletes_its_deliveries()
    {
        await using var database = await WebhookTestDatabase.CreateAsync();
        var created = await CreateAsync(database, Clerk);
        await WebhookDeliveriesTests.AddDeliveryAsync(database, created.Id, WebhookDeliveryState.Failed);

        await UseCases(database, Clerk).DeleteAsync(created.Id, "\"1\"", default);

        await using var db = database.NewContext();
        Assert.Empty(await db.WebhookSubscriptions.ToListAsync());
        Assert.Empty(await db.WebhookDeliveries.ToListAsync());
    }

    internal static Task<WebhookSubscriptionRecord> CreateAsync(WebhookTestDatabase database, Caller caller) =>
        UseCases(database, caller).CreateAsync(new WebhookSubscription { Uri = "https://example.org/hook", Secret = Secret }, default);

    internal static WebhookSubscriptions UseCases(WebhookTestDatabase database, Caller caller) =>
        new(database.NewContext(), caller, new WebhookSubscriptionPresence(TimeProvider.System), TimeProvider.System);
}
