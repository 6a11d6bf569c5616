/** Where in the image a package or a detection came from: the layer that put it there. */
export interface LayerRef {
  index: number;
  digest: string | null;
  created_by: string | null;
}
