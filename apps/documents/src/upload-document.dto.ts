import { IsString, Length } from 'class-validator';

/** Body of `POST /documents`. */
export class UploadDocumentDto {
  @IsString()
  @Length(1, 200)
  name!: string;
}

/** Payload of DOCUMENT_UPLOADED. */
export interface DocumentUploaded {
  documentId: string;
  name: string;
}
