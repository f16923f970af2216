using Egov.Steering.Events.V1;
using Egov.Steering.Notifications.Data;
using Egov.Steering.Notifications.V1;

namespace Egov.Steering.Notifications.Feed;

/// <summary>An <see cref="EventFilter"/> (plus an optional own-organisation limit) ready to test envelopes or rows.</summary>
public sealed class EventFilterMatcher
{
    private readonly HashSet<string> _committees;
    private readonly HashSet<int> _levels;
    private readonly HashSet<string> _jurisdictions;
    private readonly HashSet<string> _types;

    public EventFilterMatcher(EventFilter? filter, string? ownOrganisation = null)
    {
        filter ??= new EventFilter();
        _committees = [.. filter.Committees];
        _levels = [.. filter.Levels.Select(level => (int)level)];
        _jurisdictions = [.. filter.Jurisdictions];
        if (ownOrganisation is not null)
        {
            // Own organisation AND any asked jurisdictions: only the caller's own, if it asked for it at all.
            _jurisdictions = _jurisdictions.Count == 0 || _jurisdictions.Contains(ownOrganisation) ? [ownOrganisation] : ["\0none"];
        }

        _types = [.. filter.EventTypes];
    }

    public bool Matches(EventEnvelope envelope) =>
        (_committees.Count == 0 || _committees.Contains(envelope.Committee))
        && (_levels.Count == 0 || _levels.Contains((int)envelope.CommitteeLevel))
        && (_jurisdictions.Count == 0 || _jurisdictions.Contains(envelope.Jurisdiction))
        && (_types.Count == 0 || _types.Contains(envelope.Type));

    /// <summary>The same filter in SQL.</summary>
    public IQueryable<LoggedEvent> Apply(IQueryable<LoggedEvent> events)
    {
        if (_committees.Count > 0)
        {
            var committees = _committees.ToList();
            events = events.Where(e => committees.Contains(e.Committee));
        }

        if (_levels.Count > 0)
        {
            var levels = _levels.ToList();
            events = events.Where(e => levels.Contains(e.CommitteeLevel));
        }

        if (_jurisdictions.Count > 0)
        {
            var jurisdictions = _jurisdictions.ToList();
            events = events.Where(e => jurisdictions.Contains(e.Jurisdiction));
        }

        if (_types.Count > 0)
        {
            var types = _types.ToList();
            events = events.Where(e => types.Contains(e.Type));
        }

        return events;
    }
}
