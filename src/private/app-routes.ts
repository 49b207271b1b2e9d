import { IConstruct } from 'constructs';

/** Per app: the egress gateway routes created in it, in creation order. */
const routesByApp = new WeakMap<IConstruct, IConstruct[]>();

/** Records a route of the app of `route`, so that lockdowns need not scan the whole construct tree for them. */
export function registerRoute(route: IConstruct): void {
  const root = route.node.root;
  const routes = routesByApp.get(root);
  if (routes) {
    routes.push(route);
  } else {
    routesByApp.set(root, [route]);
  }
}

/** Whether `c` is still in its tree (a construct can be removed with `tryRemoveChild`). */
function isAttached(c: IConstruct): boolean {
  for (let node: IConstruct = c; node.node.scope; node = node.node.scope) {
    if (node.node.scope.node.tryFindChild(node.node.id) !== node) {
      return false;
    }
  }
  return true;
}

/** The routes of the app of `scope` that are still part of it. */
export function routesOf(scope: IConstruct): IConstruct[] {
  return (routesByApp.get(scope.node.root) ?? []).filter(isAttached);
}
