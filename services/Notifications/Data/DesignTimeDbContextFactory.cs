using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Egov.Steering.Notifications.Data;

/// <summary>For <c>dotnet ef migrations</c>: the PostgreSQL model with the naming the service uses at run time.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<NotificationsDbContext>
{
    public NotificationsDbContext CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<NotificationsDbContext>()
        .UseNpgsql("Host=localhost;Database=notifications_design")
        .UseSnakeCaseNamingConvention()
        .Options);
}
