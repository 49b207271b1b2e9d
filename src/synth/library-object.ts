import { ApiObject, ApiObjectMetadataDefinition, ApiObjectProps, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { PlainRendering, renderPlain } from './plain-rendering';

/**
 * Counts the changes that can alter a rendering without changing the construct tree: mutators of
 * this library's constructs, and JSON patches and metadata changes of its objects. A rendering or
 * analysis made at another count is stale.
 */
let changes = 0;

/** Records that some library object may now render differently. */
export function noteChange(): void {
  changes++;
}

/** The number of changes so far, to compare with the one a rendering was made at. */
export function changeCount(): number {
  return changes;
}

/** The metadata methods that change what an object renders. */
const METADATA_MUTATORS = ['add', 'addLabel', 'addAnnotation', 'addFinalizers', 'addOwnerReference'] as const;

/**
 * cdk8s's metadata, whose mutators also note the change. One shared prototype: the objects' own
 * metadata instances are kept (cdk8s made them), only their prototype changes.
 */
const TRACKED_METADATA: object = Object.create(ApiObjectMetadataDefinition.prototype, Object.fromEntries(METADATA_MUTATORS.map(name => {
  const mutate = ApiObjectMetadataDefinition.prototype[name] as (...args: unknown[]) => unknown;
  return [name, {
    value(this: ApiObjectMetadataDefinition, ...args: unknown[]) {
      noteChange();
      return mutate.apply(this, args);
    },
  }];
})));

/**
 * The renderings kept for one synth. Ending it makes them all unusable at once; it holds no object
 * itself, so a pending end (a queued microtask) keeps no app alive.
 */
export class KeptRenderings {
  private open = true;

  public get isOpen(): boolean {
    return this.open;
  }

  public end(): void {
    this.open = false;
  }
}

/**
 * An L1 object made by this library's constructs. The app-wide analysis renders every object once
 * per synth; the synth's output then takes that same rendering instead of rendering it again
 * (rendering is most of the cost of a synth).
 *
 * A kept rendering is used once, only while nothing has changed since it was made, and not after
 * its synth has ended (its validation failed, or the synchronous synth call returned): a later
 * mutation or JSON patch is always rendered afresh.
 */
export class LibraryApiObject extends ApiObject {
  private kept?: { readonly json: unknown; readonly at: number; readonly batch: KeptRenderings };
  /** What cdk8s renders the object from (its own copy is private). */
  private readonly renderedProps: ApiObjectProps;
  /** Whether JSON patches were added: cdk8s applies them. */
  private patched = false;

  public constructor(scope: Construct, id: string, props: ApiObjectProps) {
    super(scope, id, props);
    this.renderedProps = props;
    noteChange();
    // `ApiObject.of(construct).metadata.addLabel(...)` must make a kept rendering stale, as a patch does.
    Object.setPrototypeOf(this.metadata, TRACKED_METADATA);
  }

  public override addJsonPatch(...ops: JsonPatch[]): void {
    noteChange();
    this.patched = true;
    super.addJsonPatch(...ops);
  }

  /**
   * Renders the object now, ignoring any kept rendering: as cdk8s does, and in one copy when its data is plain (what
   * the copy saw of the strings comes with it; cdk8s's own rendering says nothing of them).
   */
  public renderFresh(): PlainRendering {
    return (this.patched ? undefined : renderPlain(this, this.renderedProps)) ?? { json: super.toJson(), withoutNumberLikeStrings: false };
  }

  /** Keeps `json` for the next `toJson()` of the synth that `batch` stands for. */
  public keepRendering(json: unknown, batch: KeptRenderings): void {
    this.kept = { json, at: changes, batch };
  }

  public override toJson(): any {
    const kept = this.kept;
    this.kept = undefined;
    return kept && kept.at === changes && kept.batch.isOpen ? kept.json : this.renderFresh().json;
  }
}

/** The object as one of this library's, or undefined for objects made elsewhere. */
export function asLibraryObject(object: unknown): LibraryApiObject | undefined {
  // Not `instanceof`: cdk8s answers it for any ApiObject subclass by a marker all ApiObjects carry.
  return typeof object === 'object' && object !== null && LibraryApiObject.prototype.isPrototypeOf(object) ? object as LibraryApiObject : undefined;
}
