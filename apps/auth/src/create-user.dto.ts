import { IsEmail, IsIn } from 'class-validator';

/** Roles a user can sign up with. */
export const ROLES = ['STUDENT', 'TEACHER', 'ADMIN'] as const;

/** Body of `POST /users`. */
export class CreateUserDto {
  @IsEmail()
  email!: string;

  @IsIn(ROLES)
  role!: (typeof ROLES)[number];
}

/** Payload of USER_CREATED. */
export interface UserCreated {
  userId: string;
  email: string;
  role: string;
}
