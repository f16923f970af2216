namespace Egov.Steering.Notifications.Webhooks;

/// <summary>
/// Whether a webhook subscription may exist, so that the dispatcher does not ask the database at every append while
/// there is none: a "none" it read holds for one poll interval, and a subscription being created on this replica ends
/// that at once (only a look made between its start and its commit can hold it back, for that interval). Another
/// replica's new subscription is seen within the interval. Either way its events only wait: they stay in the log after
/// the cursor, which does not move while there is no subscription.
/// </summary>
public sealed class WebhookSubscriptionPresence(TimeProvider timeProvider)
{
    private readonly Lock _gate = new();
    private long _creations;
    private DateTimeOffset _noneUntil;

    /// <summary>False while a recent look found none and nothing was created here since.</summary>
    public bool MayExist
    {
        get
        {
            lock (_gate)
            {
                return timeProvider.GetUtcNow() >= _noneUntil;
            }
        }
    }

    /// <summary>What to pass to <see cref="NoneFound"/>, read before looking.</summary>
    public long Creations
    {
        get
        {
            lock (_gate)
            {
                return _creations;
            }
        }
    }

    /// <summary>
    /// A look that began when <see cref="Creations"/> read <paramref name="creationsBefore"/> found none: believed for
    /// <paramref name="holdFor"/>, unless a subscription was created here while it looked.
    /// </summary>
    public void NoneFound(long creationsBefore, TimeSpan holdFor)
    {
        lock (_gate)
        {
            if (_creations == creationsBefore)
            {
                _noneUntil = timeProvider.GetUtcNow() + holdFor;
            }
        }
    }

    /// <summary>A subscription is being created here: the next dispatch looks.</summary>
    public void Created()
    {
        lock (_gate)
        {
            _creations++;
            _noneUntil = DateTimeOffset.MinValue;
        }
    }
}
