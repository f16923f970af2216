using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Egov.Steering.Storage;

/// <summary>
/// SQLite keeps no DateTimeKind, so timestamps would come back Unspecified (and Timestamp.FromDateTime refuses them).
/// Every DateTime property without a converter of its own is read back as UTC, and writing a non-UTC value fails
/// as it does on PostgreSQL (Npgsql refuses non-UTC values for timestamptz), so a bug shows in the embedded mode too.
/// </summary>
internal sealed class SqliteUtcModelCustomizer(ModelCustomizerDependencies dependencies) : RelationalModelCustomizer(dependencies)
{
    private static readonly ValueConverter<DateTime, DateTime> Utc = new(
        value => RequireUtc(value),
        stored => DateTime.SpecifyKind(stored, DateTimeKind.Utc));

    public override void Customize(ModelBuilder modelBuilder, DbContext context)
    {
        base.Customize(modelBuilder, context);
        foreach (var property in modelBuilder.Model.GetEntityTypes().SelectMany(entity => entity.GetProperties()))
        {
            if ((property.ClrType == typeof(DateTime) || property.ClrType == typeof(DateTime?)) && property.GetValueConverter() is null)
            {
                property.SetValueConverter(Utc);
            }
        }
    }

    private static DateTime RequireUtc(DateTime value) =>
        value.Kind == DateTimeKind.Utc
            ? value
            : throw new ArgumentException($"timestamps are stored in UTC; got a DateTime of kind {value.Kind}", nameof(value));
}
