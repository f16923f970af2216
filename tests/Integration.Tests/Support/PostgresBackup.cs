using System.Diagnostics;
using Egov.Steering.TestSupport;
using Npgsql;

namespace Egov.Steering.Integration.Tests.Support;

/// <summary>pg_dump and pg_restore of the installed PostgreSQL (the newest under /usr/lib/postgresql), as the backup runbook does.</summary>
public static class PostgresBackup
{
    private static readonly Lazy<string> Bin = new(() =>
        Directory.GetDirectories("/usr/lib/postgresql")
            .Select(version => Path.Combine(version, "bin"))
            .Where(bin => File.Exists(Path.Combine(bin, "pg_dump")))
            .OrderBy(bin => int.Parse(Path.GetFileName(Path.GetDirectoryName(bin))!, System.Globalization.CultureInfo.InvariantCulture))
            .Last());

    /// <summary>Dumps the database of <paramref name="connectionString"/> (custom format) and restores it into a fresh one; returns its connection string.</summary>
    public static async Task<string> CopyAsync(string connectionString, string prefix)
    {
        var dump = Path.Combine(Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}.dump");
        try
        {
            await RunAsync("pg_dump", connectionString, "--format=custom", "--no-owner", "--file", dump);
            var restored = await TestInfrastructure.CreateDatabaseAsync(prefix);
            await RunAsync("pg_restore", restored, "--no-owner", "--exit-on-error", dump);
            return restored;
        }
        finally
        {
            File.Delete(dump);
        }
    }

    private static async Task RunAsync(string tool, string connectionString, params string[] arguments)
    {
        var database = new NpgsqlConnectionStringBuilder(connectionString);
        var start = new ProcessStartInfo(Path.Combine(Bin.Value, tool));
        foreach (var argument in (string[])["--host", database.Host!, "--port", database.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--username", database.Username!, "--dbname", database.Database!, .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        if (!string.IsNullOrEmpty(database.Password))
        {
            start.Environment["PGPASSWORD"] = database.Password;
        }

        var result = await BoundedProcess.RunAsync(start, TimeSpan.FromMinutes(5));
        Assert.True(result.ExitCode == 0, $"{tool} exited with {result.ExitCode}: {result.Error}");
    }
}
