/** Where a release lives: repository + immutable tag + the manifest digest it is bound to. */
export interface ReleaseRef {
  repository: string;
  tag: string;
  digest: string;
}
