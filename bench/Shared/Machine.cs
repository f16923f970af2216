namespace Egov.Steering.Bench;

/// <summary>What a bench asks of the machine it runs on: its load, a free port, the repository it runs from.</summary>
internal static class Machine
{
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    // A bench is one process starting its own servers: the kernel's next free port will do (tests draw theirs from
    // TestInfrastructure.FreePort, which also holds it against other test processes).
    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The repository's root: the folder above bench/ that holds Microservices.sln.</summary>
    public static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Microservices.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("run from the repository (Microservices.sln not found above " + AppContext.BaseDirectory + ")");
    }
}
