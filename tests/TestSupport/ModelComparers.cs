using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Egov.Steering.TestSupport;

/// <summary>
/// Finds value comparers whose compiled code builds a delegate on every call: a lambda nested in the equality, hash or
/// snapshot expression (as EF Core's own comparers of primitive collections have) becomes a
/// <c>DynamicMethod.CreateDelegate</c> each time change tracking runs it.
/// </summary>
public static class ModelComparers
{
    /// <summary>"Entity.Property" of every property whose comparer nests a lambda.</summary>
    public static IEnumerable<string> NestingLambdas(IModel model) =>
        from entity in model.GetEntityTypes()
        from property in entity.GetProperties()
        let comparer = property.GetValueComparer()
        where new[] { comparer.EqualsExpression, comparer.HashCodeExpression, comparer.SnapshotExpression }.Any(NestsLambda)
        select $"{entity.DisplayName()}.{property.Name}";

    private static bool NestsLambda(LambdaExpression expression)
    {
        var finder = new LambdaFinder();
        finder.Visit(expression.Body);
        return finder.Found;
    }

    private sealed class LambdaFinder : ExpressionVisitor
    {
        public bool Found { get; private set; }

        protected override Expression VisitLambda<T>(Expression<T> node)
        {
            Found = true;
            return node;
        }
    }
}
