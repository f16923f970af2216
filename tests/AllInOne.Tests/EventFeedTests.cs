using Egov.Steering.Decisions.V1;
using Egov.Steering.Events.V1;
using Egov.Steering.Notifications.V1;
using Egov.Steering.TestSupport;
using Grpc.Core;

namespace Egov.Steering.AllInOne.Tests;

/// <summary>The embedded Notifications service logs the sample decisions' events from the one shared bus.</summary>
public sealed class EventFeedTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    private static readonly EventFilter AppliedOnly = new() { EventTypes = { DecisionApplied.Descriptor.FullName } };

    [Fact]
    public async Task Watching_from_the_start_replays_every_sample_decision_applied_and_ListEvents_returns_them()
    {
        var decisions = await new DecisionsService.DecisionsServiceClient(sandbox.Channel)
            .ListDecisionsAsync(new ListDecisionsRequest { PageSize = 100 }, sandbox.Reader);
        var expected = decisions.Decisions.Select(decision => decision.Name).Order().ToList();
        var notifications = new NotificationsService.NotificationsServiceClient(sandbox.Channel);

        // The deadline only keeps a broken feed from hanging the run: the stream is read until every decision showed up.
        using var watch = notifications.WatchEvents(
            new WatchEventsRequest { AfterPosition = 0, Filter = AppliedOnly },
            sandbox.Reader,
            deadline: DateTime.UtcNow.AddMinutes(2));
        var watched = new List<EventEnvelope>();
        while (watched.Count < expected.Count && await watch.ResponseStream.MoveNext(CancellationToken.None))
        {
            if (watch.ResponseStream.Current.ItemCase == WatchEventsResponse.ItemOneofCase.Event)
            {
                watched.Add(watch.ResponseStream.Current.Event);
            }
        }

        Assert.Equal(expected, watched.Select(e => e.DecisionApplied.Decision).Order());
        Assert.All(watched, e => Assert.True(e.Position > 0));

        var listed = await notifications.ListEventsAsync(new ListEventsRequest { PageSize = 500, Filter = AppliedOnly }, sandbox.Reader);
        Assert.Equal(watched.Select(e => e.Id), listed.Events.Select(e => e.Id));
    }

    [Fact]
    public async Task On_the_feed_every_sample_decision_applied_comes_after_every_event_it_caused()
    {
        var decisions = await new DecisionsService.DecisionsServiceClient(sandbox.Channel)
            .ListDecisionsAsync(new ListDecisionsRequest { PageSize = 100 }, sandbox.Reader);
        var notifications = new NotificationsService.NotificationsServiceClient(sandbox.Channel);
        // Every outcome logged first, so the whole feed of the sample data is there to read.
        await Eventually.WaitUntilAsync(
            async () => (await notifications.ListEventsAsync(new ListEventsRequest { PageSize = 500, Filter = AppliedOnly }, sandbox.Reader)).Events.Count >= decisions.Decisions.Count,
            "every sample decision applied on the feed");

        var feed = await AllEventsAsync(notifications);

        foreach (var applied in feed.Where(e => e.EventCase == EventEnvelope.EventOneofCase.DecisionApplied))
        {
            var caused = feed.Where(e => e.CausationId == applied.CausationId && e.Id != applied.Id && e.Source == applied.Source).ToList();
            Assert.All(caused, e => Assert.True(e.Position < applied.Position, $"{e.Type} of {e.Aggregate} v{e.AggregateVersion} at {e.Position}, after {applied.DecisionApplied.Decision} applied at {applied.Position}"));
            Assert.All(applied.DecisionApplied.AggregateVersions, version => Assert.Contains(caused, e => e.Aggregate == version.Key && e.AggregateVersion == version.Value));
        }
    }

    private async Task<List<EventEnvelope>> AllEventsAsync(NotificationsService.NotificationsServiceClient notifications)
    {
        var all = new List<EventEnvelope>();
        var request = new ListEventsRequest { PageSize = 500 };
        do
        {
            var page = await notifications.ListEventsAsync(request, sandbox.Reader);
            all.AddRange(page.Events);
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);

        return all;
    }
}
