using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Egov.Steering.Storage;

/// <summary>
/// Base of each service's design-time factory, for <c>dotnet ef migrations add</c> only: the migrations are
/// PostgreSQL's, with the naming the services use at run time (SQLite databases are created from the model). No
/// connection is opened to generate them.
/// </summary>
public abstract class PostgreSqlDesignTimeFactory<TContext>(Func<DbContextOptions<TContext>, TContext> create)
    : IDesignTimeDbContextFactory<TContext>
    where TContext : DbContext
{
    public TContext CreateDbContext(string[] args) => create(new DbContextOptionsBuilder<TContext>()
        .UseNpgsql("Host=localhost;Database=design_time")
        .UseSnakeCaseNamingConvention()
        .Options);
}
