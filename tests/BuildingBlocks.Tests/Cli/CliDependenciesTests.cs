using System.Reflection;
using Egov.Steering.Cli.Commands;

namespace Egov.Steering.BuildingBlocks.Tests.Cli;

public class CliDependenciesTests
{
    [Fact]
    public void Steeringctl_takes_the_token_format_without_the_services_hosting_storage_or_cache()
    {
        var referenced = ReferencedAssemblies(typeof(TokenCommands).Assembly);

        Assert.Contains("Egov.Steering.Access", referenced);
        Assert.DoesNotContain(referenced, name =>
            name.StartsWith("Egov.Steering.ServiceDefaults", StringComparison.Ordinal)
            || name.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal)
            || name.StartsWith("Npgsql", StringComparison.Ordinal)
            || name.StartsWith("StackExchange.Redis", StringComparison.Ordinal)
            || name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
    }

    // Every assembly the CLI's code reaches, following references from assembly to assembly.
    private static HashSet<string> ReferencedAssemblies(Assembly root)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<Assembly>([root]);
        while (pending.TryPop(out var assembly))
        {
            foreach (var name in assembly.GetReferencedAssemblies().Where(name => seen.Add(name.Name!)))
            {
                if (!name.Name!.StartsWith("System", StringComparison.Ordinal) && name.Name != "netstandard" && name.Name != "mscorlib")
                {
                    pending.Push(Assembly.Load(name));
                }
            }
        }

        return seen;
    }
}
