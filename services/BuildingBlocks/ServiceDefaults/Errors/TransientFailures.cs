using System.Data.Common;
using Microsoft.EntityFrameworkCore.Storage;

namespace Egov.Steering.ServiceDefaults.Errors;

/// <summary>
/// Failures of a dependency that pass by themselves — a database restarting, failing over or out of connections, a
/// statement timing out — after which the same work succeeds: a call answers them UNAVAILABLE, a consumer waits them
/// out.
/// </summary>
public static class TransientFailures
{
    /// <summary>Whether <paramref name="exception"/>, or one it wraps, is such a failure (EF Core's retries given up included).</summary>
    public static bool Caused(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is RetryLimitExceededException or DbException { IsTransient: true } or TimeoutException)
            {
                return true;
            }
        }

        return false;
    }
}
