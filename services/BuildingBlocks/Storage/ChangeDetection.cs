using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace Egov.Steering.Storage;

/// <summary>
/// Work over the change tracker's entries as last detected. Each <c>Entries()</c> and each save otherwise scans every
/// tracked entity again, which for a decision is a committee's whole current register.
/// </summary>
public static class ChangeDetection
{
    /// <summary>Runs <paramref name="work"/> with automatic detection off, and restores it after.</summary>
    public static async Task<T> WithoutDetectingAsync<T>(this ChangeTracker tracker, Func<Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(tracker);
        ArgumentNullException.ThrowIfNull(work);
        var detecting = tracker.AutoDetectChangesEnabled;
        tracker.AutoDetectChangesEnabled = false;
        try
        {
            return await work();
        }
        finally
        {
            tracker.AutoDetectChangesEnabled = detecting;
        }
    }

    /// <inheritdoc cref="WithoutDetectingAsync{T}"/>
    public static T WithoutDetecting<T>(this ChangeTracker tracker, Func<T> work)
    {
        ArgumentNullException.ThrowIfNull(tracker);
        ArgumentNullException.ThrowIfNull(work);
        var detecting = tracker.AutoDetectChangesEnabled;
        tracker.AutoDetectChangesEnabled = false;
        try
        {
            return work();
        }
        finally
        {
            tracker.AutoDetectChangesEnabled = detecting;
        }
    }
}
