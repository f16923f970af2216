using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Egov.Steering.TestSupport;

/// <summary>
/// A command interceptor that takes a step before each command a context runs, reads and writes alike: how a test sees
/// what a unit of work sends, or acts between its statements.
/// </summary>
public abstract class BeforeEachCommand : DbCommandInterceptor
{
    protected abstract Task BeforeAsync(DbCommand command);

    public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        await BeforeAsync(command);
        return result;
    }

    public override async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        await BeforeAsync(command);
        return result;
    }
}
