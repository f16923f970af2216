using Egov.Steering.Notifications.Events;
using Egov.Steering.Notifications.V1;
using Microsoft.Extensions.DependencyInjection;

namespace Egov.Steering.Notifications.Tests;

/// <summary>A committee's queued events appended together: one transaction, the log as if appended one by one.</summary>
public sealed class EventLogBatchTests
{
    [Fact]
    public async Task A_committees_queued_events_are_appended_in_order_with_consecutive_positions_and_each_once()
    {
        await using var host = await NotificationsHost.StartAsync(await NotificationsHost.NewSetupAsync());
        var committee = new TestCommittee();
        var events = Enumerable.Range(0, 5).Select(_ => committee.Next()).ToList();
        // The third arrives ahead of the second, and the first twice: the queue's order, a redelivered copy.
        var queued = new[] { events[0], events[2], events[1], events[0], events[3], events[4] };

        await using (var scope = host.Services.CreateAsyncScope())
        {
            var outcomes = await scope.ServiceProvider.GetRequiredService<EventLogHandler>()
                .ConsumeAllAsync([.. queued.Select(e => (Guid.Parse(e.Id), e))], CancellationToken.None);
            Assert.All(outcomes, Assert.Null);
        }

        var logged = (await host.Client.ListEventsAsync(
            new ListEventsRequest { PageSize = 50, Filter = new EventFilter { Committees = { committee.Name } } }, NotificationsHost.ReadToken)).Events;
        Assert.Equal(events.Select(e => e.Id), logged.Select(e => e.Id));
        Assert.Equal(Enumerable.Range(0, 5).Select(i => logged[0].Position + i), logged.Select(e => e.Position));
    }

    [Fact]
    public async Task A_page_of_large_events_stays_readable_by_a_default_client_and_the_next_pages_hold_the_rest()
    {
        await using var host = await NotificationsHost.StartAsync(await NotificationsHost.NewSetupAsync());
        var committee = new TestCommittee();
        // Seven events of ~700 KB: one default page of 50 would be ~4.9 MB, past a default client's 4 MiB.
        var events = committee.Next(7);
        events.ForEach(e => e.MembershipStarted.Membership = new Egov.Steering.Membership.V1.CommitteeMembership { EndReason = new string('x', 700_000) });
        await using (var scope = host.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<EventLogHandler>().ConsumeAllAsync([.. events.Select(e => (Guid.Parse(e.Id), e))], CancellationToken.None);
        }

        var listed = new List<string>();
        var request = new ListEventsRequest { Filter = new EventFilter { Committees = { committee.Name } } };
        do
        {
            var page = await host.Client.ListEventsAsync(request, NotificationsHost.ReadToken);
            Assert.InRange(page.Events.Count, 1, 3);
            listed.AddRange(page.Events.Select(e => e.Id));
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);

        Assert.Equal(events.Select(e => e.Id), listed);
    }
}
