using Egov.Steering.Notifications.Feed;
using Egov.Steering.Notifications.V1;
using Microsoft.Extensions.DependencyInjection;

namespace Egov.Steering.Notifications.Tests;

/// <summary>Events a replica commits reach its streams at once, without a read of the log, and never past a gap.</summary>
public sealed class FeedHandOffTests
{
    [Fact]
    public async Task A_committed_event_that_continues_the_feed_is_offered_at_once_and_one_after_a_gap_is_left_to_the_log()
    {
        await using var host = await NotificationsHost.StartAsync(await NotificationsHost.NewSetupAsync());
        var feed = host.Services.GetRequiredService<EventFeed>();
        await feed.Ready;
        var committee = new TestCommittee();
        var subscriber = new FeedSubscriber(new EventFilterMatcher(new EventFilter { Committees = { committee.Name } }), 1 << 20);
        feed.AttachAtEnd(subscriber);
        var head = subscriber.Passed;
        var events = committee.Next(3);
        for (var i = 0; i < events.Count; i++)
        {
            events[i].Position = head + 1 + i;
        }

        // Handed over by their commits only: the log itself holds none of them, so whatever the stream gets came
        // from the hand-over.
        feed.OfferCommitted([events[0]]);
        feed.OfferCommitted([events[2]]); // its predecessor is not in the feed yet

        Assert.True(subscriber.Reader.TryRead(out var delivered));
        Assert.Same(events[0], delivered.Envelope);
        Assert.False(subscriber.Reader.TryRead(out _));
        Assert.Equal(head + 1, subscriber.Passed);

        feed.OfferCommitted([events[1], events[2]]);
        Assert.Equal(events.Skip(1).Select(e => e.Id), ReadAll(subscriber).Select(e => e.Envelope.Id));
        feed.Detach(subscriber);
    }

    private static List<FeedEvent> ReadAll(FeedSubscriber subscriber)
    {
        var read = new List<FeedEvent>();
        while (subscriber.Reader.TryRead(out var feedEvent))
        {
            read.Add(feedEvent);
        }

        return read;
    }
}
