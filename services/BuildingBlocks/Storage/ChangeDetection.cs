using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace Egov.Steering.Storage;

/// <summary>
/// Work over the change tracker's entries as last detected. Each <c>Entries()</c> and each save otherwise scans every
/// tracked entity again, which for a decision is a committee's whole current register.
/// </summary>
public static class ChangeDetection
{
    /// <summary>Turns automatic detection off until the returned scope is disposed, which restores it.</summary>
    public static IDisposable PauseDetection(this ChangeTracker tracker)
    {
        ArgumentNullException.ThrowIfNull(tracker);
        var paused = new Paused(tracker, tracker.AutoDetectChangesEnabled);
        tracker.AutoDetectChangesEnabled = false;
        return paused;
    }

    private sealed class Paused(ChangeTracker tracker, bool detecting) : IDisposable
    {
        public void Dispose() => tracker.AutoDetectChangesEnabled = detecting;
    }
}
