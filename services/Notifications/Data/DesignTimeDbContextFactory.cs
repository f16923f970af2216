using Egov.Steering.ServiceDefaults.Storage;

namespace Egov.Steering.Notifications.Data;

internal sealed class DesignTimeDbContextFactory() : PostgreSqlDesignTimeFactory<NotificationsDbContext>(options => new(options));
