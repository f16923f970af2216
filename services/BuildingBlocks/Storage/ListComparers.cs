using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Metadata.Conventions;

namespace Egov.Steering.Storage;

/// <summary>
/// Value comparers for list-valued properties that compile to plain method calls. EF Core's own comparers of primitive
/// collections (<c>Compare(a, b, (v1, v2) =&gt; ...)</c>) nest the element's comparison as a lambda, which compiled code
/// turns into a new delegate (<c>DynamicMethod.CreateDelegate</c>) on every snapshot, comparison and hash code: once for
/// every list of every entity loaded tracked, and again at every change detection — a roster's role periods each time a
/// decision is applied.
/// </summary>
public static class ListComparers
{
    private static readonly MethodInfo ForListMethod = typeof(ListComparers).GetMethod(nameof(ForList))!;

    /// <summary>Compares every primitive collection of the model (a <see cref="List{T}"/> property) with <see cref="ForList{T}"/>.</summary>
    public static void UseListComparers(this ModelConfigurationBuilder configurationBuilder) =>
        configurationBuilder.Conventions.Add(_ => new PrimitiveCollectionComparerConvention());

    /// <summary>Element by element with the element type's default equality; the snapshot is a copy.</summary>
    public static ValueComparer<List<T>> ForList<T>() => new(
        (left, right) => SequenceEqual(left, right),
        list => HashOf(list),
        list => list.ToList());

    /// <summary>As <see cref="ForList{T}"/>, for a read-only list property.</summary>
    public static ValueComparer<IReadOnlyList<T>> ForReadOnlyList<T>() => new(
        (left, right) => SequenceEqual(left, right),
        list => HashOf(list),
        list => list.ToList());

    private static bool SequenceEqual<T>(IReadOnlyList<T>? left, IReadOnlyList<T>? right)
    {
        if (left is null || right is null)
        {
            return ReferenceEquals(left, right);
        }

        if (left.Count != right.Count)
        {
            return false;
        }

        var comparer = EqualityComparer<T>.Default;
        for (var i = 0; i < left.Count; i++)
        {
            if (!comparer.Equals(left[i], right[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static int HashOf<T>(IReadOnlyList<T> list)
    {
        var hash = new HashCode();
        foreach (var item in list)
        {
            hash.Add(item);
        }

        return hash.ToHashCode();
    }

    private sealed class PrimitiveCollectionComparerConvention : IModelFinalizingConvention
    {
        public void ProcessModelFinalizing(IConventionModelBuilder modelBuilder, IConventionContext<IConventionModelBuilder> context)
        {
            var lists = modelBuilder.Metadata.GetEntityTypes()
                .SelectMany(entity => entity.GetDeclaredProperties())
                .Where(property => property.IsPrimitiveCollection
                    && property.ClrType.IsGenericType && property.ClrType.GetGenericTypeDefinition() == typeof(List<>));
            foreach (var property in lists)
            {
                var comparer = (ValueComparer)ForListMethod.MakeGenericMethod(property.ClrType.GetGenericArguments()[0]).Invoke(null, null)!;
                property.Builder.HasValueComparer(comparer);
            }
        }
    }
}
