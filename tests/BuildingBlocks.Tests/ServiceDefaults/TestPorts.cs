using System.Net;
using System.Net.Sockets;

namespace Egov.Steering.BuildingBlocks.Tests.ServiceDefaults;

public static class TestPorts
{
    /// <summary>A loopback port that was free a moment ago: nothing listens on it, so connecting is refused at once.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
