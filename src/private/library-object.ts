import { ApiObject, ApiObjectProps } from 'cdk8s';
import { Construct } from 'constructs';

const libraryObjects = new WeakSet<object>();

/**
 * An L1 object made by this library's constructs. The app-wide analysis renders every object once
 * per synth; the synth's output then takes that same rendering instead of rendering it again
 * (rendering is most of the cost of a synth).
 *
 * The kept rendering is used once, and forgotten when the synth's validation fails and, at the
 * latest, once the synchronous synth call has returned: a later mutation or JSON patch is always
 * rendered afresh.
 */
export class LibraryApiObject extends ApiObject {
  private rendered?: unknown;

  public constructor(scope: Construct, id: string, props: ApiObjectProps) {
    super(scope, id, props);
    // cdk8s answers `instanceof` for any ApiObject subclass by a marker all ApiObjects carry: keep our own.
    libraryObjects.add(this);
  }

  /** Renders the object now, ignoring any kept rendering. */
  public renderFresh(): any {
    return super.toJson();
  }

  /** Keeps `json` for the next `toJson()` of this synth. */
  public keepRendering(json: unknown): void {
    this.rendered = json;
  }

  public forgetRendering(): void {
    this.rendered = undefined;
  }

  public override toJson(): any {
    const rendered = this.rendered;
    if (rendered !== undefined) {
      this.rendered = undefined;
      return rendered;
    }
    return super.toJson();
  }
}

/** The object as one of this library's, or undefined for objects made elsewhere. */
export function asLibraryObject(object: unknown): LibraryApiObject | undefined {
  return typeof object === 'object' && object !== null && libraryObjects.has(object) ? object as LibraryApiObject : undefined;
}
